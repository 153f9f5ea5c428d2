# The axiOS library: the outer shell around the pure core (./core) that
# needs nixpkgs. Exported as the flake output `lib`.
#
#   mkSystem host        one NixOS system from a host attribute set
#   mkHosts ./hosts      one system per hosts/<name>.toml
#   buildModules host    the module list mkSystem evaluates
#   hardwareModules hw   nixos-hardware modules for a host's `hardware` table
#   colmenaHive, deployNodes   the same hosts for colmena and deploy-rs
#   nixosModules, homeModules   the exported module wrappers (catalog)
#   core                 the pure core (checkHost, discoverHosts, catalog …)
{ inputs, self }:
let
  inherit (builtins)
    attrNames
    concatMap
    concatStringsSep
    filter
    foldl'
    isAttrs
    length
    mapAttrs
    ;

  core = import ./core { };
  cat = core.catalogInfo;
  root = ../.;

  # A flake input attribute, e.g. [ "niri" "nixosModules" "niri" ].
  getInput =
    path:
    foldl' (
      v: k:
      if isAttrs v && v ? ${k} then
        v.${k}
      else
        throw "axiOS: modules/catalog.toml imports ${concatStringsSep "." path}, which the axiOS flake inputs do not provide"
    ) inputs path;

  # Shared by every exported module; its fixed key means it is imported once
  # however many axiOS modules a configuration uses.
  argsModule = {
    key = "axios#flake-args";
    _module.args.axiosFlake = {
      inherit inputs self;
    };
  };

  # A wrapper also imports the wrappers of what its entry requires (home
  # entries name home modules, NixOS entries name flags), so an exported
  # module works on its own; the keys keep each module imported once.
  required =
    section: e:
    if section == "home" then
      map (r: homeModules.${r}) (e.requires or [ ])
    else
      concatMap (
        f: map (n: nixosModules.${n}) (filter (n: (cat.nixos.${n}.flag or null) == f) (attrNames cat.nixos))
      ) (e.requires or [ ]);

  wrap = section: name: e: {
    key = "axios#${section}/${name}";
    _file = "axios catalog: ${section}.${name}";
    imports = [
      (root + "/${e.path}")
    ]
    ++ map getInput e.importPaths
    ++ required section e
    ++ [ argsModule ];
  };

  nixosModules = mapAttrs (wrap "nixos") cat.nixos;
  homeModules = mapAttrs (wrap "home") cat.home;

  hardwareModuleFor =
    name:
    let
      hw = inputs.nixos-hardware.nixosModules or { };
    in
    if hw ? ${name} then
      hw.${name}
    else
      throw "axiOS: nixos-hardware has no module ${name} (modules/catalog.toml [[nixosHardware]])";

  hardwareModules =
    hw:
    map hardwareModuleFor
      (core.checkHost {
        host = {
          hardware = hw;
        };
      }).selection.nixosHardware;

  line = hostName: d: "axiOS host ${hostName}: ${d.code} ${d.field}: ${d.message} — fix: ${d.fix}";

  # Build the module list for a host.
  #   host: the host table; name: the file stem (TOML) or null;
  #   form: "toml" | "nix"; folderModules: hosts/<name>/*.nix (TOML form),
  #   added only when the host has no errors.
  buildModulesWith =
    {
      host,
      name ? null,
      form ? "nix",
      folderModules ? [ ],
    }:
    let
      checked = core.checkHost { inherit host name form; };
      h = checked.host;
      hostName =
        if name != null then
          name
        else if builtins.isString (h.hostname or null) then
          h.hostname
        else
          "(no hostname)";
      errorLines = map (line hostName) checked.errors;
      warningLines = map (line hostName) checked.warnings;

      diagnosticsModule =
        { lib, ... }:
        {
          _file = "axios host check";
          config = {
            assertions = map (message: {
              assertion = false;
              inherit message;
            }) errorLines;
            warnings = warningLines;
          }
          // lib.optionalAttrs (errorLines != [ ]) {
            # Fail with exactly the host's lines, before any other check.
            system.build.toplevel = lib.mkForce (
              throw (
                "\n${toString (length errorLines)} error(s) in axiOS host ${hostName}:\n"
                + concatStringsSep "\n" errorLines
              )
            );
          };
        };

      hostModule =
        { lib, ... }:
        {
          _file = "axios host ${hostName}";
          config = lib.mkMerge (
            [
              {
                # An explicit `system` beats the mkDefault of a generated
                # hardware.nix; without one, hardware.nix decides and
                # x86_64-linux is the fallback.
                nixpkgs.hostPlatform =
                  if h ? system then lib.mkOverride 900 h.system else lib.mkOptionDefault "x86_64-linux";
                home-manager.sharedModules = map (n: homeModules.${n}) checked.selection.home;
                # The original's home-manager module arguments, for user
                # home modules written against it (axiOS's own use axiosFlake).
                home-manager.extraSpecialArgs = {
                  inherit inputs self;
                };
              }
            ]
            ++ map (s: lib.setAttrByPath s.path s.value) (core.hostSettings checked)
          );
        };

      moduleArg = k: if (h.${k} or null) != null then [ h.${k} ] else [ ];
    in
    if !isAttrs host then
      throw "axiOS: mkSystem takes the host as an attribute set, not ${builtins.typeOf host}; for hosts/<name>.toml files use mkHosts ./hosts"
    else if checked.errors != [ ] then
      [ diagnosticsModule ]
    else
      [
        diagnosticsModule
        argsModule
        inputs.home-manager.nixosModules.home-manager
      ]
      ++ map (n: nixosModules.${n}) checked.selection.nixos
      ++ map hardwareModuleFor checked.selection.nixosHardware
      ++ [ hostModule ]
      ++ moduleArg "extraConfig"
      ++ moduleArg "hardwareConfigPath"
      ++ moduleArg "userModulePath"
      ++ (h.extraModules or [ ])
      ++ folderModules;

  buildModules = host: buildModulesWith { inherit host; };

  # specialArgs keep the original's module arguments (spec 1.10.7), so user
  # modules written as `{ inputs, self, ... }:` still evaluate; axiOS's own
  # modules use axiosFlake and work without them.
  nixosSystemFor =
    modules:
    inputs.nixpkgs.lib.nixosSystem {
      inherit modules;
      specialArgs = {
        inherit
          inputs
          self
          nixosModules
          homeModules
          ;
      };
    };

  mkSystem = host: nixosSystemFor (buildModules host);

  # The hosts of a folder as mkHosts reads them, each with its checked
  # result, its module list and its deployment settings; `who` names the
  # caller in the error for a missing folder.
  hostEntries =
    who: dir:
    mapAttrs (
      name: d:
      let
        checked = core.checkHost {
          inherit (d) host;
          inherit name;
          form = "toml";
        };
      in
      {
        inherit checked;
        system = checked.host.system or "x86_64-linux";
        deploy = core.deploySettings checked;
        modules = buildModulesWith {
          inherit (d) host;
          inherit name;
          form = "toml";
          folderModules =
            (if d.hardwareConfigPath != null then [ d.hardwareConfigPath ] else [ ]) ++ d.extraModules;
        };
      }
    ) (
      if builtins.pathExists dir then
        core.discoverHosts dir
      else
        throw "axiOS: ${who}${toString dir} does not exist (it should hold one <name>.toml per host)"
    );

  # One nixosConfiguration per hosts/<name>.toml; hosts/<name>/hardware.nix
  # and the other hosts/<name>/*.nix files are added as modules.
  mkHosts = dir: mapAttrs (_: e: nixosSystemFor e.modules) (hostEntries "mkHosts: " dir);

  # colmena's hive from the same host files (docs/deploy.md):
  #   outputs.colmenaHive = axios.lib.colmenaHive { inherit colmena; hostsDir = ./hosts; };
  # Every host is a node; one with [deploy] is reached at its targetHost
  # (as its targetUser, building on the target when buildOn = "target"),
  # one without can only be applied locally (colmena apply-local).
  colmenaHive =
    {
      colmena,
      hostsDir,
      nixpkgs ? inputs.nixpkgs,
    }:
    let
      hosts = hostEntries "" hostsDir;
      pkgsFor = system: import nixpkgs { inherit system; };
      node = name: e: {
        imports = e.modules;
        deployment =
          if e.deploy == null then
            {
              targetHost = null;
              allowLocalDeployment = true;
            }
          else
            {
              inherit (e.deploy) targetHost targetUser;
              buildOnTarget = e.deploy.buildOn == "target";
              allowLocalDeployment = true;
            };
      };
    in
    colmena.lib.makeHive (
      {
        meta = {
          nixpkgs = pkgsFor "x86_64-linux";
          nodeNixpkgs = mapAttrs (_: e: pkgsFor e.system) hosts;
          specialArgs = {
            inherit
              inputs
              self
              nixosModules
              homeModules
              ;
          };
        };
      }
      // mapAttrs node hosts
    );

  # deploy-rs's deploy.nodes from the same host files (docs/deploy.md):
  #   outputs.deploy.nodes = axios.lib.deployNodes { inherit deploy-rs; hostsDir = ./hosts; };
  # Only hosts with [deploy] are nodes. Magic rollback stays on: the
  # target restores its previous system when the deployer cannot confirm
  # within confirmTimeout seconds.
  deployNodes =
    {
      deploy-rs,
      hostsDir,
      nixosConfigurations ? mkHosts hostsDir,
    }:
    let
      hosts = hostEntries "" hostsDir;
      deployed = builtins.filter (n: hosts.${n}.deploy != null) (attrNames hosts);
      node =
        name:
        let
          e = hosts.${name};
          d = e.deploy;
        in
        {
          hostname = d.targetHost;
          inherit (d) sshOpts confirmTimeout;
          remoteBuild = d.buildOn == "target";
          magicRollback = true;
          autoRollback = true;
          profiles.system = {
            user = "root";
            path = deploy-rs.lib.${e.system}.activate.nixos nixosConfigurations.${name};
          };
        }
        // (if d.targetUser != null then { sshUser = d.targetUser; } else { });
    in
    builtins.listToAttrs (
      map (name: {
        inherit name;
        value = node name;
      }) deployed
    );
in
{
  inherit
    colmenaHive
    deployNodes
    mkSystem
    mkHosts
    buildModules
    buildModulesWith
    hardwareModules
    nixosModules
    homeModules
    core
    ;
}
