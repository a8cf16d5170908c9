export const messages = { hello: "Bonjour", bye: "Au revoir" };
