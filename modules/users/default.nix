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
        libvirtd, podman); give them those through extraGroups.
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
      default = "changeme";
      description = ''
        The password a new account starts with (change it with `passwd` at first
        login). It is not applied when the account sets hashedPassword,
        hashedPasswordFile or initialHashedPassword. This value is
        world-readable in the Nix store: use null and a hashedPasswordFile for
        anything but a first boot.
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
    axios.users.accounts = lib.mkIf (user.name != "") {
      ${user.name} = {
        fullName = lib.mkDefault user.fullName;
        email = lib.mkDefault user.email;
      };
    };
  };
}
