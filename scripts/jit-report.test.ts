import { describe, expect, it } from "vitest";
import { readJitTrace } from "./jit-report.js";

// Lines as Node 20's V8 prints them under --trace-opt --trace-deopt-verbose (addresses shortened).
const TRACE = `[completed compiling 0x35 <JSFunction getPathFromURLPosix (sfi = 0x31)> (target TURBOFAN) - took 0.018, 4.982, 0.027 ms]
[completed compiling 0x39 <JSFunction (sfi = 0x16)> (target TURBOFAN) - took 0.014, 7.185, 0.032 ms]
[completed compiling 0x3b <JSFunction alignCompounds (sfi = 0xea)> (target TURBOFAN) - took 0.1, 30.0, 0.2 ms]
[bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x3b <JSFunction alignCompounds (sfi = 0xea)>, 0x20 <Code TURBOFAN>, opt id 58, bytecode offset 1342, deopt exit 59, FP to SP delta 312, caller SP 0x7f, pc 0x7f]
            ;;; deoptimize at <file:///work/main/dist/matching/score-name.js:282:29>
  reading input frame alignCompounds => bytecode_offset=1342, args=7, height=50, retval=0(#0); inputs:
[bailout end. took 0.349 ms]
[bailout (kind: deopt-eager, reason: Insufficient type feedback for generic named access): begin. deoptimizing 0x09 <JSFunction TokenMatcher (sfi = 0xea)>, 0x3c <Code TURBOFAN>, opt id 28, bytecode offset 221, deopt exit 1, FP to SP delta 232, caller SP 0x7f, pc 0x7f]
            ;;; deoptimize at <file:///work/main/dist/matching/name-index.js:830:37>
[completed compiling 0x3b <JSFunction alignCompounds (sfi = 0xea)> (target TURBOFAN) - took 0.1, 20.0, 0.2 ms]
[completed compiling 0x3c <JSFunction get vocabKey (sfi = 0xeb)> (target TURBOFAN) - took 0.1, 1.0, 0.1 ms]
[completed compiling 0x3d <JSFunction lookup (sfi = 0xec)> (target TURBOFAN) OSR - took 0.1, 2.0, 0.1 ms]
{"id":"n1","name":"Jane Doe","matches":[]}
`;

describe("readJitTrace", () => {
  it("counts deopts, wrong-map sites and compiles per function", () => {
    const report = readJitTrace(TRACE);
    expect(report.deopts).toBe(2);
    expect([...report.wrongMap]).toEqual([["matching/score-name.js:282:29", 1]]);
    expect(report.compiles).toBe(6);
    expect(report.compileMs).toBeCloseTo(5.027 + 7.231 + 30.3 + 20.3 + 1.2 + 2.2, 3);
    expect(report.byFunction.get("get vocabKey")?.compiles).toBe(1);
    expect(report.byFunction.get("lookup")?.compiles).toBe(1);
    expect(report.byFunction.get("alignCompounds")).toEqual({ compiles: 2, ms: expect.closeTo(50.6, 3) });
    expect(report.byFunction.get("(anonymous)")?.compiles).toBe(1);
  });
});
