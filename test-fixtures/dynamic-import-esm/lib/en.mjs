export const messages = { hello: "Hello", bye: "Goodbye" };
