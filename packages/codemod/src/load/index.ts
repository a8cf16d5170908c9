export { loadTypeScript, provideRuntime, TYPESCRIPT_FILE } from "./register.js";
