# GnuPG and the SSH agent.
#
# GnuPG: keys.openpgp.org as keyserver (keys are fetched only when asked:
# automatic retrieval would make every signature check a network lookup that
# tells the keyserver which key is being checked), and a gpg-agent whose pinentry fits the session (GNOME's dialog on a desktop host,
# curses elsewhere), unless the system runs programs.gnupg.agent.
#
# SSH agent: one agent per session, never two. On a desktop host GNOME
# Keyring's gcr-ssh-agent (services.gnome.gcr-ssh-agent, on whenever
# gnome-keyring is) already provides SSH_AUTH_SOCK, and NixOS's
# programs.ssh.startAgent is another; when the system runs either, this
# module starts none. Otherwise it starts OpenSSH's ssh-agent as a user
# service (home-manager's services.ssh-agent). gpg-agent's SSH emulation is
# not used: plain ssh-agent keeps SSH keys independent of GnuPG.
{
  config,
  lib,
  pkgs,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.security;
  os = path: default: if osConfig == null then default else lib.attrByPath path default osConfig;
  systemSshAgent =
    os [ "services" "gnome" "gcr-ssh-agent" "enable" ] false
    || os [ "programs" "ssh" "startAgent" ] false;
  desktop = os [ "desktop" "enable" ] false;
  systemGpgAgent = os [ "programs" "gnupg" "agent" "enable" ] false;
in
{
  options.axios.security = {
    enable = lib.mkEnableOption "GnuPG and the SSH agent" // {
      default = true;
    };

    sshAgent = lib.mkOption {
      type = lib.types.bool;
      default = !systemSshAgent;
      defaultText = lib.literalExpression "!(osConfig.services.gnome.gcr-ssh-agent.enable || osConfig.programs.ssh.startAgent)";
      description = ''
        Whether to run OpenSSH's ssh-agent as a user service. Off by default
        when the system already runs an SSH agent (GNOME Keyring's
        gcr-ssh-agent or programs.ssh.startAgent), so there is only one.
      '';
    };

    pinentryPackage = lib.mkOption {
      type = lib.types.package;
      default = if desktop then pkgs.pinentry-gnome3 else pkgs.pinentry-curses;
      defaultText = lib.literalExpression "if osConfig.desktop.enable then pkgs.pinentry-gnome3 else pkgs.pinentry-curses";
      description = "The pinentry program gpg-agent asks for passphrases with.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        programs.gpg = {
          enable = lib.mkDefault true;
          settings = {
            keyserver = lib.mkDefault "hkps://keys.openpgp.org";
            auto-key-retrieve = lib.mkDefault false;
            auto-key-import = lib.mkDefault true;
            keyserver-options = lib.mkDefault "honor-keyserver-url";
          };
        };

        # NixOS's programs.gnupg.agent owns the same sockets; use that one
        # when the system runs it.
        services.gpg-agent = {
          enable = lib.mkDefault (!systemGpgAgent);
          enableSshSupport = lib.mkDefault false;
          pinentry.package = lib.mkDefault cfg.pinentryPackage;
        };
      }
      (lib.mkIf cfg.sshAgent { services.ssh-agent.enable = lib.mkDefault true; })
    ]
  );
}
