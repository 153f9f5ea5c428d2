# Every tests/hosts/<stem>.toml through the pure core's checkHost, in the
# shape of the <stem>.expected.json files (docs/validation.md, "Test
# vectors"). Evaluated by the Go tests with nix-instantiate --eval --strict --json.
let
  core = import ../../lib/core { };
  dir = ../hosts;
  entries = builtins.readDir dir;
  isVector = n: entries.${n} == "regular" && builtins.match ".*\\.toml" n != null;
  stem = n: builtins.substring 0 (builtins.stringLength n - 5) n;
  run =
    file:
    let
      name = stem file;
      r = core.checkHost {
        host = builtins.fromTOML (builtins.readFile (dir + "/${file}"));
        inherit name;
        form = "toml";
      };
    in
    {
      inherit name;
      value = {
        diagnostics = map (d: "${d.code} ${d.field}") r.diagnostics;
        inherit (r.selection) nixos home nixosHardware;
      };
    };
in
builtins.listToAttrs (map run (builtins.filter isVector (builtins.attrNames entries)))
