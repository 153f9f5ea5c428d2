# Google Drive sync: rclone bisync between Drive folders and local folders,
# one systemd user service + timer per folder, and `gdrive-sync-setup` for
# the first run (creates the rclone remote in ~/.config/rclone/rclone.conf,
# runs the initial --resync, then lets the timers work).
#
# No credential is ever in the Nix store: the OAuth token lives only in the
# user's rclone.conf, written by rclone itself. Until setup has run for a
# folder, its service is skipped (ConditionPathExists), not failed.
#
# Every scheduled run keeps what it deletes or overwrites on the local side
# (rclone bisync --backup-dir2; Path2 is the local folder) in a folder of its
# own under backup.directory/<name>/, and removes run folders older than
# backup.keepDays. On Drive, deleted files go to Drive's trash
# (--drive-use-trash). docs/desktop.md explains how to restore.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.axios.gdriveSync;
  home = config.home.homeDirectory;
  rcloneConf = "${config.xdg.configHome}/rclone/rclone.conf";
  logDir = "${config.xdg.stateHome}/rclone";
  readyDir = "${config.xdg.stateHome}/axios-gdrive";

  backupRoot = cfg.backup.directory;

  remoteOf = f: "${cfg.remote}:${f.remotePath}";
  localOf = f: "${home}/${f.localPath}";

  # Flags shared by the timer runs and the first --resync.
  commonArgs = [
    "--config"
    rcloneConf
    "--drive-skip-gdocs"
    "--drive-use-trash"
  ];
  bisyncArgs =
    name: f:
    [
      "bisync"
      (remoteOf f)
      (localOf f)
      "--resilient"
      "--check-access"
      # For bisync this is a percentage: abort when a run would delete more
      # than this share of the files on either side.
      "--max-delete"
      (toString cfg.maxDelete)
      "--retries"
      "3"
      "--retries-sleep"
      "1m"
      "--log-file"
      "${logDir}/gdrive-${name}.log"
    ]
    ++ commonArgs
    ++ cfg.extraArgs;

  # One scheduled run: `gdrive-sync-run NAME`, the bisync arguments after
  # NAME. With backups on it makes this run's backup folder (a fresh
  # mktemp folder, so two runs never share one), passes it as
  # --backup-dir2, drops it again when the run backed nothing up, and then
  # removes run folders older than keepDays. A failed mkdir or mktemp (a
  # full disk) stops before rclone touches a file.
  runner = pkgs.writeShellApplication {
    name = "gdrive-sync-run";
    runtimeInputs = [
      cfg.package
      pkgs.coreutils
      pkgs.findutils
    ];
    text = ''
      name=$1
      shift
      mkdir -p ${lib.escapeShellArg logDir}
    ''
    + (
      if cfg.backup.enable then
        ''
          root=${lib.escapeShellArg backupRoot}/"$name"
          mkdir -p "$root"
          chmod 700 ${lib.escapeShellArg backupRoot}
          run=$(mktemp -d "$root/$(date -u +%Y-%m-%dT%H%M%SZ)-XXXXXX")
          status=0
          rclone "$@" --backup-dir2 "$run" || status=$?
          rmdir "$run" 2>/dev/null || true
          find "$root" -mindepth 1 -maxdepth 1 -type d -mmin +${toString (cfg.backup.keepDays * 1440)} \
            -exec rm -rf -- {} +
          exit "$status"
        ''
      else
        ''
          exec rclone "$@"
        ''
    );
  };

  folderType = lib.types.submodule {
    options = {
      remotePath = lib.mkOption {
        type = lib.types.str;
        example = "Documents";
        description = "Folder on Google Drive.";
      };
      localPath = lib.mkOption {
        type = lib.types.str;
        example = "Documents";
        description = "Folder relative to the home directory.";
      };
    };
  };

  setup = pkgs.writeShellApplication {
    name = "gdrive-sync-setup";
    runtimeInputs = [
      cfg.package
      pkgs.coreutils
      pkgs.findutils
      pkgs.gnugrep
    ];
    text = ''
      conf=${lib.escapeShellArg rcloneConf}
      remote=${lib.escapeShellArg cfg.remote}
      mkdir -p "$(dirname "$conf")" ${lib.escapeShellArg logDir} ${lib.escapeShellArg readyDir}
      chmod 700 "$(dirname "$conf")"

      echo "Google Drive sync setup"
      echo "Folders: ${lib.concatStringsSep ", " (lib.mapAttrsToList (_: f: "${remoteOf f} <-> ~/${f.localPath}") cfg.folders)}"
      echo "Google Photos is not synced (the Drive API no longer exposes it; use Google Takeout)."
      echo

      if rclone listremotes --config "$conf" | grep -qx "$remote:"; then
        echo "rclone remote '$remote' found in $conf."
      else
        echo "No rclone remote '$remote' yet. rclone will now open your browser to sign in"
        echo "to Google and store the token in $conf (never in the Nix store)."
        read -r -p "Press Enter to continue, Ctrl-C to stop. " _
        rclone config create "$remote" drive scope=drive --config "$conf"
        chmod 600 "$conf"
      fi

      echo
      echo "The first sync merges both sides and deletes nothing. Afterwards deletions"
      echo "propagate both ways; a run that would delete more than ${toString cfg.maxDelete}% of the files aborts."

      init() {
        local name=$1 remote_path=$2 local_path=$3 unit=$4 local_count remote_count answer
        mkdir -p "$local_path"
        local_count=$(find "$local_path" -type f | wc -l)
        remote_count=$(rclone size "$remote_path" --config "$conf" --drive-skip-gdocs 2>/dev/null \
          | grep -o 'Total objects: [0-9a-zA-Z.]*' | cut -d' ' -f3 || echo "?")
        echo
        echo "$name: $local_count local files, $remote_count on Drive ($remote_path)"
        read -r -n 1 -p "Initialise $name sync? [y/N] " answer
        echo
        case "$answer" in
          y | Y) ;;
          *) echo "Skipped $name."; return 0 ;;
        esac
        touch "$local_path/RCLONE_TEST"
        rclone touch "$remote_path/RCLONE_TEST" --config "$conf"
        rclone bisync "$remote_path" "$local_path" --resync --create-empty-src-dirs ${lib.escapeShellArgs commonArgs}
        touch ${lib.escapeShellArg readyDir}/"$name"
        # A first run now also arms the timer (OnUnitActiveSec counts from it).
        systemctl --user start --no-block "$unit" || true
        echo "$name: ready; syncing every ${cfg.interval}."
      }

      ${lib.concatStrings (
        lib.mapAttrsToList (name: f: ''
          init ${
            lib.escapeShellArgs [
              name
              (remoteOf f)
              (localOf f)
              "gdrive-${name}-sync.service"
            ]
          }
        '') cfg.folders
      )}
      echo
      systemctl --user list-timers 'gdrive-*' --no-pager || true
      echo "Logs: journalctl --user -u 'gdrive-*' -f   and ${logDir}/"
      echo "Run now: systemctl --user start gdrive-<folder>-sync.service"
    '';
  };
in
{
  options.axios.gdriveSync = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to install Google Drive sync (rclone bisync timers and
        gdrive-sync-setup). Nothing syncs until gdrive-sync-setup has run.
      '';
    };
    package = lib.mkPackageOption pkgs "rclone" { };
    remote = lib.mkOption {
      type = lib.types.str;
      default = "gdrive";
      description = "Name of the rclone remote for Google Drive.";
    };
    folders = lib.mkOption {
      type = lib.types.attrsOf folderType;
      default = {
        documents = {
          remotePath = "Documents";
          localPath = "Documents";
        };
        music = {
          remotePath = "Music";
          localPath = "Music";
        };
      };
      description = "Folders to keep in sync, keyed by a short name (the unit is gdrive-<name>-sync).";
    };
    interval = lib.mkOption {
      type = lib.types.str;
      default = "15min";
      description = "Time between sync runs (systemd time span).";
    };
    maxDelete = lib.mkOption {
      type = lib.types.ints.between 1 100;
      default = 25;
      description = ''
        Safety cap, in percent: a bisync run that would delete more than this
        share of the files on either side aborts instead (rclone bisync's
        --max-delete is a percentage; 100 would disable the check).
      '';
    };
    backup = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Whether each scheduled run keeps a local copy of every local file it
          deletes or overwrites (rclone bisync --backup-dir2), so a mass
          deletion or modification on Drive can be undone locally. Each run
          gets its own folder, backup.directory/<folder>/<UTC time>-<random>.
        '';
      };
      directory = lib.mkOption {
        type = lib.types.str;
        default = "${config.xdg.stateHome}/axios-gdrive/backup";
        defaultText = lib.literalExpression ''"''${config.xdg.stateHome}/axios-gdrive/backup"'';
        description = ''
          Where the run folders go. It must be on the same file system as the
          synced folders (rclone moves the files there) and outside them.
        '';
      };
      keepDays = lib.mkOption {
        type = lib.types.ints.positive;
        default = 30;
        description = ''
          How long a run folder is kept, in days; after each run, older ones
          are removed.
        '';
      };
    };
    extraArgs = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      example = [
        "--exclude"
        "*.tmp"
      ];
      description = "Extra arguments for every scheduled rclone bisync run.";
    };
  };

  # The units' scalars are opinions in mkDefault; their lists merge with a
  # user's.
  config = lib.mkIf cfg.enable {
    home.packages = [
      cfg.package
      setup
      runner
    ];

    systemd.user.services = lib.mapAttrs' (
      name: f:
      lib.nameValuePair "gdrive-${name}-sync" {
        Unit = {
          Description = lib.mkDefault "Rclone bidirectional sync for Google Drive ${name}";
          After = [ "network-online.target" ];
          ConditionPathExists = [
            rcloneConf
            "${readyDir}/${name}"
          ];
        };
        Service = {
          Type = lib.mkDefault "oneshot";
          ExecStart = lib.mkDefault "${lib.getExe runner} ${lib.escapeShellArgs ([ name ] ++ bisyncArgs name f)}";
        };
      }
    ) cfg.folders;

    systemd.user.timers = lib.mapAttrs' (
      name: _:
      lib.nameValuePair "gdrive-${name}-sync" {
        Unit.Description = lib.mkDefault "Timer for Google Drive ${name} sync";
        Timer = {
          OnBootSec = lib.mkDefault "5min";
          OnUnitActiveSec = lib.mkDefault cfg.interval;
        };
        Install.WantedBy = [ "timers.target" ];
      }
    ) cfg.folders;
  };
}
