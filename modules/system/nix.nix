# Nix settings, binary caches, garbage collection and the state version.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.axios.system;
in
{
  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ pkgs.cachix ];

    nix.gc = {
      automatic = lib.mkDefault true;
      dates = lib.mkDefault "daily";
      options = lib.mkDefault "--delete-older-than 5d";
    };

    nix.settings = {
      substitute = lib.mkDefault true;
      builders-use-substitutes = lib.mkDefault true;
      download-buffer-size = lib.mkDefault 268435456; # 256 MiB
      experimental-features = [
        "nix-command"
        "flakes"
      ];
      auto-optimise-store = lib.mkDefault true;
      # Appended to nixpkgs' own cache.nixos.org entries (list options merge).
      substituters = [
        "https://axios.cachix.org"
        "https://numtide.cachix.org"
        "https://niri.cachix.org"
      ];
      trusted-substituters = [
        "https://axios.cachix.org"
        "https://niri.cachix.org"
      ];
      trusted-public-keys = [
        "cache.nixos.org-1:6NCHdD59X431kS1gBOk6429S9g0f1NXtv+FIsf8Xma0="
        "axios.cachix.org-1:8c7nj72raLM0Q4Fie799J/70D2/5oDd7rxqnOuxObh4="
        "numtide.cachix.org-1:2ps1kLBUWjxIneOy1Ik6cQjb41X0iXVXeHigGmycPPE="
        "niri.cachix.org-1:Wv0OmO7PsuocRKzfDoJ3mulSl7Z6oezYhGhR+3W2964="
      ];
      trusted-users = [
        "root"
        "@wheel"
      ];
    };

    nixpkgs.config.allowUnfree = lib.mkDefault true;

    # The release the machine's stateful data was first created with. This
    # default is frozen forever (changing it under existing installs would
    # silently change data formats and paths); a new install should set its
    # own value with a plain assignment, which wins over this mkDefault.
    system.stateVersion = lib.mkDefault "24.05";
  };
}
