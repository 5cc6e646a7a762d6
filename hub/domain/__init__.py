"""The pure core: numbers, calls, cases, time, the one exception root. Imports nothing of ours."""
