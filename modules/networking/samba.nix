# Samba file sharing (SMB2+ with encryption, no guests), bound to loopback
# and the tailnet; networking.samba.lanInterfaces adds LAN interfaces, and
# with them WS-Discovery so Windows machines see the host. On by default;
# networking.samba.enable = false turns it off.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.networking.samba;
  exposure = (import ../../lib/core { }).exposure;
  tailnetInterface = config.services.tailscale.interfaceName;

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
      default = exposure.default "networking.samba.enable";
      example = false;
      description = ''
        Whether to run Samba (on by default), answering on loopback and the
        tailnet interface only (TCP 445).
      '';
    };

    lanInterfaces = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = exposure.default "networking.samba.lanInterfaces";
      example = [ "enp3s0" ];
      description = ''
        Other interfaces (a home LAN) Samba answers on, besides loopback and
        the tailnet: it binds to them, TCP 445 opens there, and WS-Discovery
        (TCP 5357, UDP 3702) runs on them so Windows machines find the host.
      '';
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
      # nixpkgs would open 139 and 445 (and 137-138) on every interface; the
      # ports below come from lib/ports.toml.
      openFirewall = lib.mkDefault false;
      nmbd.enable = lib.mkDefault false;
      settings = {
        global = {
          workgroup = lib.mkDefault "WORKGROUP";
          "server string" = lib.mkDefault "%h Samba";
          # Loopback, the tailnet and the LAN interfaces the host names.
          interfaces = lib.mkDefault (
            lib.concatStringsSep " " (
              [
                "lo"
                tailnetInterface
              ]
              ++ cfg.lanInterfaces
            )
          );
          "bind interfaces only" = lib.mkDefault "yes";
          # SMB over TCP only (no NetBIOS session service on 139).
          "smb ports" = lib.mkDefault "445";
          # A wrong user name is refused, never mapped to the guest account.
          "map to guest" = lib.mkDefault "Never";
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

    # Windows network discovery (TCP 5357, UDP 3702), on the LAN interfaces
    # only: it is multicast, which the tailnet does not carry.
    services.samba-wsdd = {
      enable = lib.mkDefault (cfg.lanInterfaces != [ ]);
      openFirewall = lib.mkDefault false;
      extraOptions = lib.mkDefault (
        [ "--shortlog" ] ++ lib.concatMap (i: [ "--interface" i ]) cfg.lanInterfaces
      );
    };

    users.groups.smbshare = { };
    systemd.tmpfiles.rules = [ "d /srv/samba/public 0770 root smbshare -" ];

    # Samba binds to the interfaces that exist when it starts.
    systemd.services.samba-smbd.after = lib.mkIf config.services.tailscale.enable [
      "tailscaled.service"
    ];

    networking.firewall = lib.mkMerge [
      (exposure.firewall {
        id = "samba";
        inherit config tailnetInterface;
      })
      (exposure.firewall {
        id = "wsdd";
        inherit config tailnetInterface;
      })
    ];
  };
}
