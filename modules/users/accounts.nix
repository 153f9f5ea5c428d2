# Create every account in axios.users.accounts with its groups.
#
# Groups are computed by lib/core/groups.nix from options that exist in every
# NixOS configuration (or are read with `or false` when their module may be
# absent). The result is a normal-priority definition of
# users.users.<name>.extraGroups, so list definitions from your own modules
# are merged with it rather than replacing it; to drop an automatic group,
# turn axios.users.autoGroups off or use lib.mkForce.
{ config, lib, ... }:
let
  cfg = config.axios.users;
  primaryName = config.axios.user.name;

  facts = {
    networkmanager = config.networking.networkmanager.enable;
    desktop = config.desktop.enable or false;
    graphics = config.hardware.graphics.enable;
    printing = config.services.printing.enable;
    scanner = config.hardware.sane.enable;
    libvirt = config.virtualisation.libvirtd.enable;
    podman = config.virtualisation.podman.enable;
    plugdev = config.hardware.desktop.enable or false;
    development = config.development.enable or false;
  };

  groupsFor =
    name:
    import ../../lib/core/groups.nix {
      inherit facts;
      # isAdmin: the administrative groups, as the primary user has them.
      primary = name == primaryName || (cfg.accounts.${name}.isAdmin or false);
      inherit (cfg) autoGroups extraGroups;
      accountGroups = cfg.accounts.${name}.extraGroups or [ ];
    };

  mkAccount =
    name: account:
    let
      existing = config.users.users.${name};
      hasPassword =
        existing.hashedPassword != null
        || existing.hashedPasswordFile != null
        || existing.initialHashedPassword != null;
    in
    {
      isNormalUser = lib.mkDefault true;
      description = lib.mkDefault account.fullName;
      extraGroups = groupsFor name;
      linger = lib.mkIf account.linger (lib.mkDefault true);
      # The host's hash is the account's first password (mutable users
      # change it with passwd); initialHashedPassword, not hashedPassword, so
      # that a later `passwd` is never undone and systemd-sysusers/userborn
      # (which only apply initial passwords to mutable users) accept it.
      initialHashedPassword = lib.mkIf (account.hashedPassword != null) (
        lib.mkDefault account.hashedPassword
      );
      hashedPasswordFile = lib.mkIf (account.hashedPasswordFile != null) (
        lib.mkDefault account.hashedPasswordFile
      );
      openssh.authorizedKeys.keys = account.sshKeys;
      initialPassword = lib.mkIf (cfg.initialPassword != null && !hasPassword) (
        lib.mkDefault cfg.initialPassword
      );
    };
in
{
  config = {
    users.users = lib.mapAttrs mkAccount cfg.accounts;

    axios.users.defaultExtraGroups = if primaryName == "" then [ ] else groupsFor primaryName;
  };
}
