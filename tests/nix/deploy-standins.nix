# Stand-ins for colmena's `lib.makeHive` and deploy-rs's
# `lib.<system>.activate.nixos`, checking the shapes those projects
# document (colmena: src/nix/hive/options.nix deploymentOptions and
# metaOptions, eval.nix reserved names and Nixpkgs forms; deploy-rs:
# interface.json and the README's generic options). A wrong shape throws
# with the reason; a right one returns a plain description.
let
  inherit (builtins)
    all
    attrNames
    elem
    filter
    isAttrs
    isBool
    isFunction
    isInt
    isList
    isString
    mapAttrs
    ;
  fail = msg: throw "shape: ${msg}";
  check = cond: msg: v: if cond then v else fail msg;
  onlyKeys =
    what: allowed: set:
    let
      extra = filter (k: !(elem k allowed)) (attrNames set);
    in
    check (extra == [ ]) "${what} has keys ${toString extra} that are not documented" set;
  nullOrStr = v: v == null || isString v;
  listOfStr = v: isList v && all isString v;

  # colmena
  reserved = [
    "defaults"
    "network"
    "meta"
  ];
  metaKeys = [
    "name"
    "description"
    "nixpkgs"
    "nodeNixpkgs"
    "nodeSpecialArgs"
    "machinesFile"
    "specialArgs"
  ];
  deploymentKeys = [
    "targetHost"
    "targetPort"
    "targetUser"
    "allowLocalDeployment"
    "buildOnTarget"
    "tags"
    "keys"
    "replaceUnknownProfiles"
    "privilegeEscalationCommand"
  ];
  # With flakes colmena accepts only an initialized package set.
  initialized = what: p: check (isAttrs p && !(p ? outputs) && p ? path) "${what} must be an initialized Nixpkgs" p;
  deployment =
    name: d:
    let
      ok = onlyKeys "${name}.deployment" deploymentKeys d;
    in
    check (nullOrStr (ok.targetHost or null)) "${name}.deployment.targetHost must be null or a string" (
      check (nullOrStr (ok.targetUser or null)) "${name}.deployment.targetUser must be null or a string" (
        check (isBool (ok.buildOnTarget or false)) "${name}.deployment.buildOnTarget must be a bool" (
          check (isBool (ok.allowLocalDeployment or false)) "${name}.deployment.allowLocalDeployment must be a bool" ok
        )
      )
    );
  node =
    name: c:
    check (isAttrs c || isFunction c || isList c) "node ${name} must be a module" (
      check (isList (c.imports or [ ])) "${name}.imports must be a list" {
        deployment = deployment name (c.deployment or { });
        imports = builtins.length (c.imports or [ ]);
      }
    );
  makeHive =
    hive:
    let
      meta = onlyKeys "meta" metaKeys (hive.meta or { });
      nodeNames = filter (n: !(elem n reserved)) (attrNames hive);
    in
    {
      meta = {
        nixpkgs = (initialized "meta.nixpkgs" meta.nixpkgs).system;
        nodeNixpkgs = mapAttrs (n: p: (initialized "meta.nodeNixpkgs.${n}" p).system) (meta.nodeNixpkgs or { });
        specialArgs = attrNames (meta.specialArgs or { });
      };
      nodes = builtins.listToAttrs (
        map (n: {
          name = n;
          value = node n hive.${n};
        }) nodeNames
      );
    };

  # deploy-rs
  genericKeys = [
    "sshUser"
    "user"
    "sudo"
    "sshOpts"
    "fastConnection"
    "autoRollback"
    "magicRollback"
    "confirmTimeout"
    "activationTimeout"
    "tempPath"
    "interactiveSudo"
    "remoteBuild"
  ];
  generic =
    what: s:
    check (nullOrStr (s.sshUser or null)) "${what}.sshUser must be a string" (
      check (listOfStr (s.sshOpts or [ ])) "${what}.sshOpts must be a list of strings" (
        check (
          !(s ? confirmTimeout) || (isInt s.confirmTimeout && s.confirmTimeout >= 0 && s.confirmTimeout < 65536)
        ) "${what}.confirmTimeout must be an integer (u16)" (
          check (all (k: !(s ? ${k}) || isBool s.${k}) [
            "fastConnection"
            "autoRollback"
            "magicRollback"
            "remoteBuild"
          ]) "${what}: fastConnection, autoRollback, magicRollback, remoteBuild must be bools" s
        )
      )
    );
  profile =
    what: p:
    let
      ok = onlyKeys what (
        genericKeys
        ++ [
          "path"
          "profilePath"
        ]
      ) p;
    in
    check (ok ? path) "${what}.path is required" (generic what ok);
  deployNode =
    name: n:
    let
      ok = onlyKeys "nodes.${name}" (
        genericKeys
        ++ [
          "hostname"
          "profiles"
          "profilesOrder"
        ]
      ) n;
    in
    check (isString (ok.hostname or null)) "nodes.${name}.hostname is required (a string)" (
      generic "nodes.${name}" ok
      // {
        profiles = mapAttrs (p: v: profile "nodes.${name}.profiles.${p}" v) ok.profiles;
      }
    );
  activateNixos = system: base: {
    activate = "nixos";
    inherit system;
    # mkHosts in the harness: nixosSystem returns its arguments.
    modules = builtins.length base.modules;
  };
in
{
  colmena.lib.makeHive = makeHive;
  deploy-rs.lib = {
    x86_64-linux.activate.nixos = activateNixos "x86_64-linux";
    aarch64-linux.activate.nixos = activateNixos "aarch64-linux";
  };
  # Checks deploy.nodes as deploy-rs reads it.
  checkNodes = nodes: mapAttrs deployNode nodes;
}
