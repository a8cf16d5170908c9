#!/usr/bin/env node
// An async main() whose rejection nobody handles: Node exits 1 with no output.
async function loadUser(id) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  if (id !== "1") throw new Error(`user ${id} not found`);
  return { id, name: "Ada" };
}

async function main() {
  const id = new URLSearchParams(process.env.QUERY_STRING).get("id") ?? "1";
  const user = await loadUser(id);
  console.log("Content-Type: application/json\n");
  console.log(JSON.stringify(user));
}

main();
