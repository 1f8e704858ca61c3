"""Runs the training tests and writes a vitest-shaped JSON summary (for scripts/test-summary.mjs).

    python3 -m tests.run [report.json]
"""

import json
import sys
import unittest

suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors)
if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as f:
        json.dump({"numPassedTests": result.testsRun - failed - len(result.skipped), "numFailedTests": failed,
                   "numPendingTests": len(result.skipped)}, f)
sys.exit(1 if failed else 0)
