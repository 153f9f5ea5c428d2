# A home-manager configuration for every axiOS account.
#
# mkSystem imports home-manager's NixOS module and adds the selected home
# profile to home-manager.sharedModules; this file only creates the users and
# pushes the e-mail address down to the home-manager option axios.user.email
# (declared by home/profiles/base.nix). Without home-manager it does nothing.
{
  config,
  lib,
  options,
  ...
}:
let
  cfg = config.axios.users;

  mkHome =
    name: account:
    { options, lib, ... }:
    {
      config =
        lib.optionalAttrs (options ? axios && options.axios ? user && options.axios.user ? email)
          {
            axios.user.email = lib.mkDefault account.email;
          };
    };
in
{
  config = lib.optionalAttrs (options ? home-manager && options.home-manager ? users) {
    home-manager.users = lib.mapAttrs mkHome cfg.accounts;
  };
}
