# flake-parts module: every folder pkgs/<name>/ with a default.nix is a
# package, built with callPackage. It becomes overlays.default.<name> and
# packages.<system>.<name>; packages.default is the axios command.
{ inputs, ... }:
let
  inherit (builtins)
    attrNames
    filter
    listToAttrs
    pathExists
    readDir
    ;
  entries = readDir ./.;
  names = filter (n: entries.${n} == "directory" && pathExists (./. + "/${n}/default.nix")) (
    attrNames entries
  );
  forNames =
    f:
    listToAttrs (
      map (n: {
        name = n;
        value = f n;
      }) names
    );
  overlay = final: _prev: forNames (n: final.callPackage (./. + "/${n}") { });
in
{
  flake.overlays.default = overlay;

  perSystem =
    { system, ... }:
    let
      pkgs = import inputs.nixpkgs {
        inherit system;
        config.allowUnfree = true;
        overlays = [
          overlay
          inputs.mcp-servers-nix.overlays.default
        ];
      };
    in
    {
      _module.args.pkgs = pkgs;
      packages = forNames (n: pkgs.${n}) // {
        default = pkgs.axios;
      };
    };
}
