// Integration tests wait on real servers and retry timers: allow them two minutes each.
jest.setTimeout(120_000);
