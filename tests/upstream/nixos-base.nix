# The smallest stand-in for nixpkgs' NixOS module tree that lets a whole axiOS
# host evaluate with lib.evalModules (scripts/eval-upstream, tests/upstream/eval.nix).
#
# * The root has a freeform type (`nixosAny`, below) so definitions of NixOS options
#   are kept. It merges like the usual NixOS types: attribute sets recursively, lists
#   concatenate, strings equal-or-joined-by-newline (like `lines`), package-like values
#   must be unique (like types.package), everything else must be equal (like
#   types.bool/int: mergeEqualOption) — so same-priority conflicts between two modules
#   are reported the way NixOS reports them.
# * A few options are declared with the NixOS semantics the project and
#   home-manager read: assertions/warnings, system.build.toplevel (fails on failed
#   assertions, like nixos/modules/system/activation/top-level.nix), users.users.<name>
#   (name/home/group/... defaults as in users-groups.nix).
# * NixOS defaults of options the modules read (networking.hostName = "nixos", ...)
#   are given at a low priority (mkOverride 1400); they are written by hand from the NixOS
#   manual, not copied.
{
  lib,
  pkgs,
  # dotted paths of NixOS's boolean `enable` options (from the option list):
  # declared for real, so that a module's `mkIf config.services.x.enable`
  # next to definitions under services.x does not make the freeform value
  # of services.x depend on itself (NixOS declares them; a freeform root
  # would merge services.x as one value)
  enableOptions ? [ ],
}:
let
  inherit (lib) types mkOption mkOptionDefault;
  isLeafSet = v: lib.isStringLike v || v ? _type;
  nixosAny = lib.mkOptionType {
    name = "nixosAny";
    description = "NixOS value (stand-in)";
    check = _: true;
    merge =
      loc: defs:
      let
        vals = map (d: d.value) defs;
        allOf = p: lib.all p vals;
      in
      if allOf (v: builtins.isAttrs v && !isLeafSet v) then
        (types.lazyAttrsOf nixosAny).merge loc defs
      else if allOf builtins.isList then
        lib.concatMap (d: d.value) defs
      else if allOf builtins.isString then
        (if lib.all (v: v == lib.head vals) vals then lib.head vals else lib.concatStringsSep "\n" vals)
      else if allOf (v: builtins.isAttrs v && lib.isStringLike v) then
        lib.mergeOneOption loc defs
      else if allOf builtins.isFunction then
        lib.last vals
      else
        lib.mergeEqualOption loc defs;
  };
  userModule =
    { name, config, ... }:
    {
      freeformType = types.lazyAttrsOf nixosAny;
      options = {
        name = mkOption { type = types.str; default = name; };
        isNormalUser = mkOption { type = types.bool; default = false; };
        isSystemUser = mkOption { type = types.bool; default = false; };
        description = mkOption { type = types.str; default = ""; };
        home = mkOption { type = types.str; default = "/var/empty"; };
        group = mkOption { type = types.str; default = ""; };
        uid = mkOption { type = types.nullOr types.int; default = null; };
        extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
        packages = mkOption { type = types.listOf types.package; default = [ ]; };
        hashedPassword = mkOption { type = types.nullOr types.str; default = null; };
        hashedPasswordFile = mkOption { type = types.nullOr types.str; default = null; };
        initialHashedPassword = mkOption { type = types.nullOr types.str; default = null; };
        initialPassword = mkOption { type = types.nullOr types.str; default = null; };
        password = mkOption { type = types.nullOr types.str; default = null; };
        shell = mkOption { type = types.nullOr (types.either types.shellPackage types.path); default = pkgs.shadow or null; };
      };
      config = lib.mkIf config.isNormalUser {
        home = lib.mkDefault "/home/${name}";
        group = lib.mkDefault "users";
      };
    };
in
{
  config,
  ...
}:
{
  _file = "tests/upstream/nixos-base.nix";
  imports = [
    {
      _file = "nixos option list (stand-in)";
      options = lib.foldl' lib.recursiveUpdate { } (
        map (
          p:
          lib.setAttrByPath (lib.splitString "." p) (mkOption {
            type = types.bool;
            default = false;
          })
        ) enableOptions
      );
    }
  ];
  freeformType = types.lazyAttrsOf nixosAny;
  options = {
    assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    warnings = mkOption { type = types.listOf types.str; default = [ ]; };
    users.users = mkOption { type = types.attrsOf (types.submodule userModule); default = { }; };
    system.build.toplevel = mkOption {
      type = types.unspecified;
      default =
        let
          failed = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
        in
        if failed != [ ] then
          throw "\nFailed assertions:\n${lib.concatMapStringsSep "\n" (m: "- ${m}") failed}"
        else
          lib.foldr (w: x: builtins.trace "evaluation warning: ${w}" x) "toplevel-ok" config.warnings;
    };
  };
  # (mkOverride 1400: above the `default = false` of the declared enable
  # options, below any module's definition)
  config = lib.mkMerge [ (lib.mapAttrsRecursiveCond (as: !lib.isDerivation as) (_: lib.mkOverride 1400) {
    networking.hostName = "nixos";
    networking.networkmanager.enable = false;
    networking.firewall.enable = true;
    hardware.graphics.enable = false;
    hardware.sane.enable = false;
    hardware.enableRedistributableFirmware = false;
    hardware.system76.power-daemon.enable = false;
    hardware.logitech.wireless.enableGraphical = false;
    services.printing.enable = false;
    services.samba.enable = false;
    services.samba.package = pkgs.samba;
    services.flatpak.package = pkgs.flatpak;
    services.tailscale.enable = false;
    services.tailscale.interfaceName = "tailscale0";
    services.caddy.user = "caddy";
    services.ollama.host = "127.0.0.1";
    services.ollama.port = 11434;
    services.power-profiles-daemon.enable = false;
    services.gnome.gnome-keyring.enable = false;
    programs.fish.package = pkgs.fish;
    programs.ssh.startAgent = false;
    programs.gnupg.agent.enable = false;
    virtualisation.libvirtd.enable = false;
    virtualisation.podman.enable = false;
    boot.loader.grub.enable = true;
    boot.kernelPackages = pkgs.linuxPackages;
    fonts.fontconfig.enable = true;
    i18n.glibcLocales = pkgs.glibcLocales;
    nix.settings.use-xdg-base-directories = false;
    environment.pathsToLink = [ ];
    security.tpm2.tssGroup = "tss";
    programs.steam.package = pkgs.steam;
    nix.enable = true;
    nix.package = pkgs.nix;
    # nixos/modules/services/display-managers/greetd.nix (mkDefault when
    # greetd is on) and display-managers/default.nix
    services.greetd.settings.default_session.user = "greeter";
    services.displayManager.autoLogin.enable = false;
    services.displayManager.autoLogin.user = null;
  })
  {
    services.gnome.gcr-ssh-agent.enable = mkOptionDefault config.services.gnome.gnome-keyring.enable;
    # greetd.nix: the greeter's account
    users.users.greeter = lib.mkIf (config.services.greetd.enable or false) {
      isSystemUser = true;
      group = "greeter";
    };
  } ];
}
