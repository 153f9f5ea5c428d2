# A module with personal settings, given as userModulePath. The account
# itself comes from `users` in host.nix (axios.user / axios.users).
{ pkgs, ... }:
{
  home-manager.users.alice = {
    home.packages = [ pkgs.htop ];
  };
}
