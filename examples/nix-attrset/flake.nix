{
  description = "An axiOS host written as a Nix attribute set (axios.lib.mkSystem)";

  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };

  outputs =
    { axios, ... }:
    {
      # host.nix is the attribute set mkSystem takes; it is a file of its own
      # so that `axios check` and the axiOS tests can read it too.
      nixosConfigurations.workstation = axios.lib.mkSystem (import ./host.nix);
    };
}
