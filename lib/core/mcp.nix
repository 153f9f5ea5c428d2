# Which MCP servers are on, given which secrets exist. Builtins only.
#
#   (import ./mcp.nix).select { servers = { … }; secrets = { … }; }
#
# servers.<name>:
#   enable   bool, default true; false turns the server off without a message
#   command  string: the program to run; null when the package is not
#            available (then `unavailable` says why)
#   unavailable  string: why `command` is null (shown in the message)
#   args     list of strings (default [ ])
#   env      attribute set of strings (default { }), never a secret
#   secret   null, or { name; env; hint; }: the server needs the secret
#            `name`, exported to it as the environment variable `env`; `hint`
#            tells the user how to provide it
#
# secrets.<name>: where a secret comes from at run time, or null when it is
#   not configured: { file = "/run/user/1000/agenix/x"; } (read at start) or
#   { command = [ "gh" "auth" "token" ]; } (its output is the secret).
#
# Result:
#   on.<name>  = { type = "stdio"; command; args; env; secret; } where secret
#                is null or { name; env; hint; file | command }
#   off        = [ { name; reason; message; } ] sorted by name; reason is
#                "disabled" (no message needed), "missing-secret" or
#                "unavailable"
#   messages   = the messages of the off entries that are not "disabled"
#
#   (import ./mcp.nix).wrapperScript name server
#
# The bash text (no #! line; pkgs.writeShellScript adds it) that starts an
# `on` server which needs a secret: it reads the secret at run time (the file,
# or the command's output), exports it to the server only and execs it with
# the arguments it was given. A missing, unreadable or empty secret prints
# "axios: MCP server <name> is off: …" with the hint and exits 78
# (EX_CONFIG). "$" in a file path stays live, so agenix paths such as
# ${XDG_RUNTIME_DIR}/agenix/<name> expand.
let
  inherit (builtins)
    all
    attrNames
    concatMap
    filter
    isAttrs
    isBool
    isList
    isString
    listToAttrs
    map
    sort
    ;

  fail = name: field: what: throw "axios MCP server \"${name}\": ${field} ${what}";

  isStringAttrs = v: isAttrs v && all (k: isString v.${k}) (attrNames v);

  # Check one server description and fill in defaults; a clear error names
  # the field and the fix.
  normalise =
    name: s:
    let
      enable = s.enable or true;
      args = s.args or [ ];
      env = s.env or { };
      secret = s.secret or null;
      command = s.command or null;
    in
    if !isAttrs s then
      fail name "" "must be an attribute set with at least `command`"
    else if !isBool enable then
      fail name "`enable`" "must be true or false"
    else if command != null && !isString command then
      fail name "`command`" "must be a string (the program to run) or null when unavailable"
    else if command == null && !(isString (s.unavailable or null)) then
      fail name "`command`" "is missing: set it, or set `unavailable` to say why there is none"
    else if !(isList args && all isString args) then
      fail name "`args`" "must be a list of strings"
    else if !isStringAttrs env then
      fail name "`env`" "must be an attribute set of strings"
    else if
      secret != null
      && !(isAttrs secret && isString (secret.name or null) && isString (secret.env or null))
    then
      fail name "`secret`" "must be null or { name; env; hint; } with string name and env"
    else
      {
        inherit
          enable
          args
          env
          secret
          command
          ;
        unavailable = s.unavailable or "";
      };

  # A configured secret source, or null.
  sourceOf =
    secrets: secretName:
    let
      src = secrets.${secretName} or null;
    in
    if src == null then
      null
    else if isAttrs src && isString (src.file or null) then
      if builtins.substring 0 11 src.file == "/nix/store/" then
        throw "axios MCP secret \"${secretName}\": ${src.file} is in the Nix store, where every user can read it; point it at a file outside the store (an agenix path such as config.age.secrets.${secretName}.path)"
      else
        { file = src.file; }
    else if isAttrs src && isList (src.command or null) && src.command != [ ] && all isString src.command
    then
      { command = src.command; }
    else
      throw "axios MCP secret \"${secretName}\": must be null, { file = \"/path\"; } or { command = [ \"prog\" \"arg\" ]; }";

  decide =
    secrets: name: s:
    let
      src = if s.secret == null then null else sourceOf secrets s.secret.name;
      hint = if s.secret == null then "" else s.secret.hint or "";
    in
    if !s.enable then
      {
        state = "off";
        reason = "disabled";
        message = "";
      }
    else if s.command == null then
      {
        state = "off";
        reason = "unavailable";
        message = "MCP server ${name} is off: ${s.unavailable}";
      }
    else if s.secret != null && src == null then
      {
        state = "off";
        reason = "missing-secret";
        message =
          "MCP server ${name} is off: it needs the secret ${s.secret.name} (${s.secret.env})"
          + (if hint == "" then "" else "; ${hint}");
      }
    else
      {
        state = "on";
        value = {
          type = "stdio";
          inherit (s) command args env;
          secret =
            if s.secret == null then
              null
            else
              src
              // {
                inherit (s.secret) name env;
                inherit hint;
              };
        };
      };

  select =
    {
      servers,
      secrets ? { },
    }:
    let
      names = sort (a: b: a < b) (
        if isAttrs servers then attrNames servers else throw "axios MCP: `servers` must be an attribute set"
      );
      decided = map (name: {
        inherit name;
        d = decide secrets name (normalise name servers.${name});
      }) names;
      onList = filter (x: x.d.state == "on") decided;
      offList = map (x: {
        inherit (x) name;
        inherit (x.d) reason message;
      }) (filter (x: x.d.state == "off") decided);
    in
    {
      on = listToAttrs (
        map (x: {
          inherit (x) name;
          value = x.d.value;
        }) onList
      );
      off = offList;
      messages = concatMap (x: if x.reason == "disabled" then [ ] else [ x.message ]) offList;
    };
  escapeShellArg = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] s + "'";

  # Inside "…": keep $ live, quote the rest.
  dquote =
    builtins.replaceStrings
      [
        "\\"
        "\""
        "`"
      ]
      [
        "\\\\"
        "\\\""
        "\\`"
      ];

  wrapperScript =
    name: server:
    let
      s = server.secret;
      fail =
        reason:
        "{ echo \"axios: MCP server ${dquote name} is off: ${reason}; ${dquote s.hint}\" >&2; exit 78; }";
      load =
        if s ? file then
          ''
            secret_file="${dquote s.file}"
            if [ ! -r "$secret_file" ]; then
              ${fail "cannot read the secret file $secret_file"}
            fi
            ${s.env}="$(< "$secret_file")"
          ''
        else
          ''
            if ! ${s.env}="$(${builtins.concatStringsSep " " (map escapeShellArg s.command)})"; then
              ${fail "the command ${dquote (builtins.concatStringsSep " " s.command)} failed"}
            fi
          '';
    in
    if !(isAttrs server && isAttrs (server.secret or null) && isString (server.command or null)) then
      throw "axios MCP server \"${name}\": wrapperScript needs an `on` server with a secret"
    else if builtins.match "[A-Za-z_][A-Za-z0-9_]*" s.env == null then
      throw "axios MCP server \"${name}\": secret env \"${s.env}\" is not a valid environment variable name"
    else
      ''
        set -u
        ${load}
        if [ -z "''$${s.env}" ]; then
          ${fail "the secret ${dquote s.name} is empty"}
        fi
        export ${s.env}
        exec ${escapeShellArg server.command} "$@"
      '';
in
{
  inherit select wrapperScript;
}
