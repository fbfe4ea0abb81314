/**
 * The `matrix-arena` command: serve, worker, migrate, sim, leaderboard and more.
 * Each subcommand lives in its own module; this file only dispatches.
 */
import { runCommand } from "./commands.js";

const code = await runCommand(process.argv.slice(2));
if (code !== null) process.exitCode = code;
