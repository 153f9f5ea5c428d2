# Shaped like the original's multi-host example: hosts written inline in
# flake.nix, sharing a module set.
{
  description = "Multiple hosts with axiOS";
  inputs = {
    axios.url = "github:kcalvelli/axios";
    nixpkgs.follows = "axios/nixpkgs";
  };
  outputs =
    {
      self,
      axios,
      nixpkgs,
      ...
    }:
    let
      sharedModules = {
        system = true;
        desktop = true;
        development = true;
        graphics = true;
        networking = true;
        users = true;
        services = false;
        virt = false;
        gaming = false;
      };
    in
    {
      nixosConfigurations = {
        desktop = axios.lib.mkSystem {
          hostname = "desktop";
          system = "x86_64-linux";
          formFactor = "desktop";
          hardware = {
            cpu = "amd";
            gpu = "amd";
            hasSSD = true;
            isLaptop = false;
          };
          modules = sharedModules;
          homeProfile = "workstation";
          userModulePath = ./users/alice.nix;
          hardwareConfigPath = ./hosts/desktop/hardware.nix;
          diskConfigPath = ./hosts/desktop/disks.nix;
          extraConfig = {
            axios.system.timeZone = "America/New_York";
          };
        };
        server = axios.lib.mkSystem {
          hostname = "server";
          system = "x86_64-linux";
          formFactor = "desktop";
          hardware = {
            cpu = "intel";
            gpu = "intel";
            hasSSD = true;
            isLaptop = false;
          };
          modules = sharedModules // {
            desktop = false;
            graphics = false;
            services = true;
            virt = true;
          };
          homeProfile = "workstation";
          userModulePath = ./users/admin.nix;
          hardwareConfigPath = ./hosts/server/hardware.nix;
          extraConfig = {
            axios.system.timeZone = "America/New_York";
            networking.tailscale.domain = "example-tailnet.ts.net";
            environment.etc.motd.source = self + "/motd";
          };
        };
        # Not an axiOS host: left alone.
        plain = nixpkgs.lib.nixosSystem { modules = [ ]; };
      };
    };
}
