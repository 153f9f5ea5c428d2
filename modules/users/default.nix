# axiOS users: the primary user and any further accounts, their automatic
# groups, XDG directories and home-manager wiring.
#
# mkSystem fills axios.user.* from the host's primary [users.<name>] table and
# axios.users.accounts.<name> from every [users.<name>] table. Used on its
# own, setting axios.user.name is enough to get one account.
{ config, lib, ... }:
let
  user = config.axios.user;

  accountType = lib.types.submodule {
    options = {
      fullName = lib.mkOption {
        type = lib.types.str;
        default = "";
        example = "Alice Liddell";
        description = "The account's description, also the git author name in home-manager.";
      };
      email = lib.mkOption {
        type = lib.types.str;
        default = "";
        example = "alice@example.org";
        description = "The e-mail address passed to home-manager (git author e-mail).";
      };
      extraGroups = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        example = [ "dialout" ];
        description = "Groups for this account beyond the automatic ones.";
      };
      hashedPassword = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "$y$j9T$…";
        description = ''
          A crypt(3) hash of the account's first password (`axios init` writes
          one; `mkpasswd` makes one). It becomes
          users.users.<name>.initialHashedPassword: set when the account is
          created, then changed with `passwd` as usual (with
          users.mutableUsers = false NixOS applies it on every activation).
          The hash is world-readable in the Nix store; use hashedPasswordFile
          to keep it out.
        '';
      };
      hashedPasswordFile = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "/run/agenix/alice-password";
        description = ''
          A file holding the account's password hash on one line (for example
          an agenix secret), read on every activation; it becomes
          users.users.<name>.hashedPasswordFile. The hash never enters the
          Nix store.
        '';
      };
      sshKeys = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        example = [ "ssh-ed25519 AAAAC3Nza… alice@laptop" ];
        description = ''
          SSH public keys that may log in as this account
          (users.users.<name>.openssh.authorizedKeys.keys).
        '';
      };
      isAdmin = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = ''
          Whether this account gets the administrative automatic groups
          (wheel, adm, libvirtd, podman) like the primary user, who always
          has them.
        '';
      };
      linger = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = ''
          Whether systemd starts this user's services at boot and keeps them
          after logout (users.users.<name>.linger), e.g. for the Google
          Drive sync timers.
        '';
      };
    };
  };
in
{
  imports = [
    ./accounts.nix
    ./xdg-dirs.nix
    ./home-manager.nix
  ];

  options.axios.user = {
    name = lib.mkOption {
      type = lib.types.str;
      default = "";
      example = "alice";
      description = ''
        The primary user's login name. When set, the account is created with
        the automatic groups and a home-manager configuration.
      '';
    };
    fullName = lib.mkOption {
      type = lib.types.str;
      default = "";
      description = "The primary user's full name (account description, git author).";
    };
    email = lib.mkOption {
      type = lib.types.str;
      default = "";
      description = "The primary user's e-mail address (git author e-mail in home-manager).";
    };
  };

  options.axios.users = {
    accounts = lib.mkOption {
      type = lib.types.attrsOf accountType;
      default = { };
      example = lib.literalExpression ''{ bob = { fullName = "Bob"; extraGroups = [ "dialout" ]; }; }'';
      description = ''
        Accounts to create, by login name. The primary user (axios.user.name)
        is added here automatically. Accounts other than the primary one get
        the automatic groups without the administrative ones (wheel, adm,
        libvirtd, podman) unless isAdmin is set.
      '';
    };

    autoGroups = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to add groups that follow from the enabled features
        (networkmanager, video/render, libvirtd, podman, plugdev …).
      '';
    };

    extraGroups = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      example = [
        "dialout"
        "i2c"
      ];
      description = "Groups added to every account created by axiOS.";
    };

    initialPassword = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "changeme";
      description = ''
        A plain-text password every new account starts with, unless the
        account has a password hash or hash file. Null by default: no account
        is created with a known password. Anything set here is world-readable
        in the Nix store (a warning says so); prefer
        axios.users.accounts.<name>.hashedPassword or hashedPasswordFile.
      '';
    };

    createXdgDirs = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to create Desktop, Documents, Downloads, Music, Pictures,
        Videos, Public and Templates in every account's home at boot.
      '';
    };

    defaultExtraGroups = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      readOnly = true;
      description = ''
        The groups axiOS gives the primary user (automatic groups, when
        autoGroups is on, then extraGroups). Computed; read-only.
      '';
    };
  };

  config = {
    # Only wheel may run sudo at all (its binary is not executable for
    # others), so a bug in sudo cannot be used by other accounts.
    security.sudo.execWheelOnly = lib.mkDefault true;

    warnings = lib.optional (config.axios.users.initialPassword != null) ''
      axios.users.initialPassword is set: every new account starts with that
      password, which is world-readable in the Nix store. Use
      axios.users.accounts.<name>.hashedPassword (a hash from `mkpasswd`) or
      hashedPasswordFile instead.
    '';

    axios.users.accounts = lib.mkIf (user.name != "") {
      ${user.name} = {
        fullName = lib.mkDefault user.fullName;
        email = lib.mkDefault user.email;
      };
    };
  };
}
