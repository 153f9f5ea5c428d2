# OpenSSH, hardened: keys only, no root login. TCP 22 opens on the tailnet;
# on other interfaces only with services.openssh.openFirewall = true.
{ config, lib, ... }:
let
  cfg = config.axios.networking.ssh;
  exposure = (import ../../lib/core { }).exposure;
in
{
  options.axios.networking.ssh = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = exposure.default "axios.networking.ssh.enable";
      description = ''
        Whether to run the OpenSSH server. TCP 22 is opened on the tailnet
        interface; set services.openssh.openFirewall = true to open it on
        every interface (LAN, public Wi-Fi) too.
      '';
    };

    passwordAuthentication = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Whether to accept passwords (and keyboard-interactive logins) over SSH.
        Off by default: log in with a key listed in
        users.users.<name>.openssh.authorizedKeys.keys.
      '';
    };

    permitRootLogin = lib.mkOption {
      type = lib.types.enum [
        "no"
        "prohibit-password"
        "yes"
      ];
      default = "no";
      description = ''
        Whether root may log in over SSH: "no", "prohibit-password" (keys
        only) or "yes".
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    services.openssh = {
      enable = lib.mkDefault true;
      # nixpkgs opens 22 on every interface by default; axiOS on the tailnet.
      openFirewall = lib.mkDefault (exposure.default "services.openssh.openFirewall");
      settings = {
        PasswordAuthentication = lib.mkDefault cfg.passwordAuthentication;
        KbdInteractiveAuthentication = lib.mkDefault cfg.passwordAuthentication;
        PermitRootLogin = lib.mkDefault cfg.permitRootLogin;
        X11Forwarding = lib.mkDefault false;
      };
    };

    networking.firewall = exposure.firewall {
      id = "ssh";
      inherit config;
      tailnetInterface = config.services.tailscale.interfaceName;
    };
  };
}
