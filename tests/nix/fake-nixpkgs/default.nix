# An initialized "nixpkgs" for the colmena stand-in: what `import nixpkgs
# { system; }` returns, reduced to what colmena's hive reads.
{
  system,
  ...
}:
{
  inherit system;
  path = "/fake-nixpkgs";
  lib = { };
  overlays = [ ];
  config = { };
}
