# OpenSSH, hardened: keys only, no root login.
{ config, lib, ... }:
let
  cfg = config.axios.networking.ssh;
in
{
  options.axios.networking.ssh = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to run the OpenSSH server (TCP 22 is opened in the firewall).";
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
      settings = {
        PasswordAuthentication = lib.mkDefault cfg.passwordAuthentication;
        KbdInteractiveAuthentication = lib.mkDefault cfg.passwordAuthentication;
        PermitRootLogin = lib.mkDefault cfg.permitRootLogin;
        X11Forwarding = lib.mkDefault false;
      };
    };
  };
}
