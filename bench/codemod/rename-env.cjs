// The jscodeshift reference: the bare rename `process.env` -> `environ`, nothing else.
module.exports = function renameEnv(file, api) {
  const j = api.jscodeshift;
  return j(file.source)
    .find(j.MemberExpression, {
      object: { type: "Identifier", name: "process" },
      property: { type: "Identifier", name: "env" },
    })
    .replaceWith(() => j.identifier("environ"))
    .toSource();
};
