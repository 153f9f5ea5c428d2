# Samba file sharing (SMB2+ with encryption, no guests) and WS-Discovery so
# Windows machines see the host. On by default; networking.samba.enable =
# false turns it off.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.networking.samba;

  sambaAddUser = pkgs.writeShellApplication {
    name = "samba-add-user";
    runtimeInputs = [ config.services.samba.package ];
    text = ''
      if [ "$#" -ne 1 ]; then
        echo "usage: samba-add-user USER" >&2
        echo "Gives an existing Unix user a Samba password so they can connect to" >&2
        echo "smb://USER@$(hostname)/SHARE." >&2
        exit 1
      fi
      if ! id "$1" >/dev/null 2>&1; then
        echo "samba-add-user: no Unix user named '$1'; create the account first" >&2
        exit 1
      fi
      if [ "$(id -u)" -eq 0 ]; then
        smbpasswd -a "$1"
      else
        sudo smbpasswd -a "$1"
      fi
    '';
  };

  normalUsers = lib.filterAttrs (_: u: u.isNormalUser) config.users.users;

  userShares = lib.concatMapAttrs (
    name: u:
    lib.listToAttrs (
      map (dir: {
        name = "${name}-${dir}";
        value = {
          path = "${u.home}/${dir}";
          writable = "yes";
          "guest ok" = "no";
          "valid users" = name;
          browseable = "yes";
          comment = "${name}'s ${dir}";
        };
      }) cfg.sharedDirectories
    )
  ) normalUsers;
in
{
  options.networking.samba = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = "Whether to run Samba and WS-Discovery (on by default).";
    };

    enableUserShares = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Whether to share sharedDirectories of every normal user's home, each
        as "<user>-<directory>", writable by that user only.
      '';
    };

    sharedDirectories = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [
        "Music"
        "Pictures"
        "Videos"
        "Documents"
      ];
      description = "Directories, relative to each home, shared when enableUserShares is on.";
    };
  };

  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ sambaAddUser ];

    services.samba = {
      enable = true;
      openFirewall = lib.mkDefault true;
      nmbd.enable = lib.mkDefault false;
      settings = {
        global = {
          workgroup = lib.mkDefault "WORKGROUP";
          "server string" = lib.mkDefault "%h Samba";
          "map to guest" = lib.mkDefault "Bad User";
          "smb encrypt" = lib.mkDefault "required";
          "server min protocol" = lib.mkDefault "SMB2_02";
          "client min protocol" = lib.mkDefault "SMB2_02";
          "ntlm auth" = lib.mkDefault "no";
          "wins support" = lib.mkDefault "no";
          "local master" = lib.mkDefault "no";
          "domain master" = lib.mkDefault "no";
          "preferred master" = lib.mkDefault "no";
          "dns proxy" = lib.mkDefault "no";
          "load printers" = lib.mkDefault "no";
          "disable spoolss" = lib.mkDefault "yes";
          printing = lib.mkDefault "bsd";
          "printcap name" = lib.mkDefault "/dev/null";
        };
        public = {
          path = "/srv/samba/public";
          "read only" = "no";
          "guest ok" = "no";
          browseable = "yes";
        };
        homes = {
          browseable = "no";
          "read only" = "no";
          "guest ok" = "no";
        };
      }
      // lib.optionalAttrs cfg.enableUserShares userShares;
    };

    # Windows network discovery (TCP 5357, UDP 3702).
    services.samba-wsdd = {
      enable = lib.mkDefault true;
      openFirewall = lib.mkDefault true;
    };

    users.groups.smbshare = { };
    systemd.tmpfiles.rules = [ "d /srv/samba/public 0770 root smbshare -" ];
  };
}
