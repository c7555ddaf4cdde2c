#!/usr/bin/env node
// Placeholder until the bundles exist; replaced by the real build below as parts land.
console.log("build: nothing to bundle yet");
