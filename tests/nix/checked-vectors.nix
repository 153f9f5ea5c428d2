# Every tests/hosts/<stem>.toml through the pure core's checkHost: an
# attribute set from stem to checkHost's whole result (diagnostics with
# their messages, selection, errors). tests/nix/vectors.nix and the Go tests
# that compare messages and settings read it.
let
  core = import ../../lib/core { };
  dir = ../hosts;
  entries = builtins.readDir dir;
  isVector = n: entries.${n} == "regular" && builtins.match ".*\\.toml" n != null;
  stem = n: builtins.substring 0 (builtins.stringLength n - 5) n;
  run = file: {
    name = stem file;
    value = core.checkHost {
      host = builtins.fromTOML (builtins.readFile (dir + "/${file}"));
      name = stem file;
      form = "toml";
    };
  };
in
builtins.listToAttrs (map run (builtins.filter isVector (builtins.attrNames entries)))
