# axiOS networking: NetworkManager (iwd or wpa_supplicant for Wi-Fi),
# systemd-resolved, the firewall, hardened OpenSSH, Avahi, Samba and
# Tailscale.
{ config, lib, ... }:
let
  cfg = config.axios.networking;
in
{
  imports = [
    ./ssh.nix
    ./avahi.nix
    ./samba.nix
    ./tailscale.nix
  ];

  options.axios.networking = {
    backend = lib.mkOption {
      type = lib.types.enum [
        "iwd"
        "wpa_supplicant"
      ];
      default = "iwd";
      description = "The Wi-Fi backend NetworkManager uses.";
    };
  };

  config = lib.mkMerge [
    {
      networking.networkmanager.enable = lib.mkDefault true;
      networking.networkmanager.wifi.backend = lib.mkDefault cfg.backend;
      # NetworkManager runs DHCP. Priority 900: nixos-generate-config writes
      # `networking.useDHCP = lib.mkDefault true;` into every
      # hardware-configuration.nix, and a second mkDefault with the opposite
      # value fails evaluation; a host's plain assignment still wins.
      networking.useDHCP = lib.mkOverride 900 false;

      # Every port an axiOS module opens is in lib/ports.toml; each module
      # opens its own on the tailnet interface (docs/security.md).
      networking.firewall.enable = lib.mkDefault true;

      services.resolved = {
        enable = lib.mkDefault true;
        settings.Resolve = {
          # LLMNR answers name queries from anyone on the link; off (it
          # needs no inbound port to resolve either way).
          LLMNR = lib.mkDefault "false";
          DNSSEC = lib.mkDefault "allow-downgrade";
          # mDNS is Avahi's job.
          MulticastDNS = lib.mkDefault "no";
        };
      };

      # Booting does not wait for the network.
      systemd.services.NetworkManager-wait-online.enable = lib.mkDefault false;
      systemd.services.systemd-networkd-wait-online.enable = lib.mkForce false;

      programs.mtr.enable = lib.mkDefault true;
    }

    (lib.mkIf (cfg.backend == "iwd") {
      networking.wireless.iwd = {
        enable = lib.mkDefault true;
        settings = {
          # NetworkManager configures addresses and routes.
          General.EnableNetworkConfiguration = lib.mkDefault false;
          Network = {
            EnableIPv6 = lib.mkDefault true;
            RoutePriorityOffset = lib.mkDefault 300;
          };
          Settings.AutoConnect = lib.mkDefault true;
        };
      };
    })

    (lib.mkIf (cfg.backend == "wpa_supplicant") {
      # wpa_supplicant logs every scan; keep errors and worse only.
      systemd.services.wpa_supplicant.serviceConfig.LogLevelMax = lib.mkDefault 2;
    })
  ];
}
