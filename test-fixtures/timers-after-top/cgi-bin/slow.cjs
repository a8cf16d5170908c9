#!/usr/bin/env node
// Output from timers and setImmediate after the top level has returned.
process.stdout.write("Content-Type: text/plain\n\n");
process.stdout.write("start\n");
setTimeout(function () {
  process.stdout.write("after 20ms\n");
  setTimeout(function () {
    process.stdout.write("after 40ms\n");
  }, 20);
}, 20);
setImmediate(function () {
  process.stdout.write("immediate\n");
});
process.nextTick(function () {
  process.stdout.write("tick\n");
});
process.stdout.write("top level done\n");
