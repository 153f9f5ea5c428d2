{
  description = "A minimal axiOS configuration: one host in hosts/mycomputer.toml";

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
