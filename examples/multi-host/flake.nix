{
  description = "Several axiOS machines in one flake: hosts/desktop.toml, laptop.toml, server.toml";

  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs =
    { axios, ... }:
    {
      # One nixosConfiguration per hosts/<name>.toml; hosts/<name>/hardware.nix
      # and any other hosts/<name>/*.nix are added as modules.
      nixosConfigurations = axios.lib.mkHosts ./hosts;
    };
}
