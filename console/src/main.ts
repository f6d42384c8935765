import { startConsole } from './app.ts';

// The script is loaded with `defer`: the page's shell is parsed by now.
startConsole();
