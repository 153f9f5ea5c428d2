# A host's deployment settings ([deploy] in a host file) with the defaults
# of lib/rules.toml filled in, as plain data for colmenaHive, deployNodes
# and the Go command (internal/hostsettings agrees on the same vectors).
{ rules }:
let
  default = key: rules.field."deploy.${key}".default or null;
in
{
  # checked: the result of checkHost. null when the host has no [deploy]
  # table or has errors (such a host is not deployed anywhere).
  deploySettings =
    checked:
    let
      d = checked.host.deploy or null;
      get = key: if builtins.isAttrs d && d ? ${key} then d.${key} else default key;
    in
    if checked.errors != [ ] || !(builtins.isAttrs d) then
      null
    else
      {
        targetHost = d.targetHost;
        targetUser = get "targetUser";
        buildOn = get "buildOn";
        sshOpts = get "sshOpts";
        confirmTimeout = get "confirmTimeout";
      };
}
