# Every tests/hosts/<stem>.toml through the pure core's checkHost
# (checked-vectors.nix), in the shape of the <stem>.expected.json files
# (docs/validation.md, "Test vectors"). Evaluated by the Go tests with
# nix-instantiate --eval --strict --json.
builtins.mapAttrs (_: r: {
  diagnostics = map (d: "${d.code} ${d.field}") r.diagnostics;
  inherit (r.selection) nixos home nixosHardware;
}) (import ./checked-vectors.nix)
