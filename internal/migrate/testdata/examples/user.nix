# Shaped like the original's example user.nix: the account defined directly.
{ ... }:
{
  users.users.myuser = {
    isNormalUser = true;
    description = "My Full Name";
    initialPassword = "changeme";
    extraGroups = [
      "networkmanager"
      "wheel"
    ];
  };
  home-manager.users.myuser = {
    home.stateVersion = "24.05";
    programs.git.settings.user.email = "me@example.org";
  };
}
