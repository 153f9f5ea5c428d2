# Shaped like the original init's flake.nix (not evaluated by the tests).
{
  description = "NixOS configuration for tower";
  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };
  outputs =
    { self, axios, ... }:
    let
      userModulePath = self.outPath + "/user.nix";
      hostConfig =
        (import ./hosts/tower.nix {
          lib = axios.inputs.nixpkgs.lib;
          inherit userModulePath;
        }).hostConfig;
    in
    {
      nixosConfigurations.tower = axios.lib.mkSystem hostConfig;
    };
}
