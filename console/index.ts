/** The marketing and operations console: what it offers the rest of the product. */
export { startConsole, type ConsoleOptions, type ConsoleServer } from './server.ts';
