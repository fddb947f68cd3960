#!/usr/bin/env python3
"""PyTorch peer of bench_trainer (benchmarks/trainer.c): the same four nets, trained the
same way, timed the same way. Optional: bench_trainer runs it only when `import torch`
works, and says the peer was skipped otherwise.

Shapes (depth 2 = one hidden layer, ReLU, biases, one output), float64, squared loss
1/2 (f - y)^2 averaged over the batch, torch.optim.SGD(lr=0.01) (plain SGD, no momentum),
y = x1 x2:
  a  n = 30,  width 64,   batch 32    minibatches of a fixed sample of 4096 points of {+-1}^n
  b  n = 30,  width 512,  batch 256   same
  c  d = 256, width 64,   batch 1     online: a fresh x ~ N(0, I_d) every step
  d  n = 256, width 1024, batch 1024  minibatches of a fixed sample of 4096 points
One step = draw the batch + zero_grad + forward + loss + backward + optimiser step, as in
the C trainer (whose step also draws the batch). Weights N(0, 1/fan_in), biases 0.

Output on stdout, one line per shape:
  torch_version <v>
  result <shape> <steps_per_s> <steps> <seconds> <final_loss> <wall_steps_per_s>
(steps_per_s and seconds by --clock: wall, or the CPU time of this thread).

--serve: stay up and measure on request, so that bench_trainer can alternate its own
measurements with PyTorch's under the same machine load (a shared machine's load changes
within seconds). Reads lines "run <shape> <seconds>" on stdin and answers each with one
"result ..." line; "quit" or end of input stops. Prints "ready" after torch_version.
"""
import argparse
import sys
import time

import torch

SHAPES = [
    ("a", 30, 64, 32, False),
    ("b", 30, 512, 256, False),
    ("c", 256, 64, 1, True),
    ("d", 256, 1024, 1024, False),
]
SAMPLE_ROWS = 4096
LR = 0.01


def make_net(n, width):
    net = torch.nn.Sequential(
        torch.nn.Linear(n, width), torch.nn.ReLU(), torch.nn.Linear(width, 1)
    ).double()
    with torch.no_grad():
        for layer in (net[0], net[2]):
            layer.weight.normal_(0.0, (1.0 / layer.in_features) ** 0.5)
            layer.bias.zero_()
    return net


CLOCK = time.perf_counter


def bench(shape, seconds, gen):
    name, n, width, batch, online = shape
    net = make_net(n, width)
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    if not online:
        X = torch.randint(0, 2, (SAMPLE_ROWS, n), generator=gen, dtype=torch.float64) * 2 - 1
        Y = (X[:, 0] * X[:, 1]).unsqueeze(1)
        state = {"perm": torch.randperm(SAMPLE_ROWS, generator=gen), "pos": 0}

    def draw():
        if online:
            x = torch.randn(batch, n, generator=gen, dtype=torch.float64)
            return x, (x[:, 0] * x[:, 1]).unsqueeze(1)
        if state["pos"] + batch > SAMPLE_ROWS:  # new epoch: reshuffle
            state["perm"] = torch.randperm(SAMPLE_ROWS, generator=gen)
            state["pos"] = 0
        idx = state["perm"][state["pos"]:state["pos"] + batch]
        state["pos"] += batch
        return X[idx], Y[idx]

    def step():
        x, y = draw()
        opt.zero_grad(set_to_none=True)
        loss = 0.5 * ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    for _ in range(5):  # warm-up
        step()
    chunk = 1
    while True:  # chunk of ~0.05 s
        t0 = CLOCK()
        for _ in range(chunk):
            step()
        if CLOCK() - t0 > 0.05 or chunk > 1 << 30:
            break
        chunk *= 2
    steps = 0
    t0, w0 = CLOCK(), time.perf_counter()
    while True:
        for _ in range(chunk):
            loss = step()
        steps += chunk
        t = CLOCK() - t0
        if t >= seconds:
            break
    wall = time.perf_counter() - w0
    return steps / t, steps, t, float(loss.item()), steps / wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shapes", default="abcd")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--clock", choices=["wall", "thread"], default="wall",
                    help="thread: CPU time of this thread (time.thread_time), as bench_trainer "
                    "with one BLAS thread")
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "thread" else time.perf_counter
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(True)
    gen = torch.Generator().manual_seed(args.seed % (1 << 63))
    print("torch_version", torch.__version__, flush=True)
    if args.serve:
        print("ready", flush=True)
        by_name = {s[0]: s for s in SHAPES}
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if len(words) != 3 or words[0] != "run" or words[1] not in by_name:
                print("error bad request:", line.strip(), flush=True)
                continue
            sps, steps, t, loss, wall = bench(by_name[words[1]], float(words[2]), gen)
            print("result %s %.6g %d %.6g %.6g %.6g" % (words[1], sps, steps, t, loss, wall), flush=True)
        return 0
    for shape in SHAPES:
        if shape[0] not in args.shapes:
            continue
        sps, steps, t, loss, wall = bench(shape, args.seconds, gen)
        print("result %s %.6g %d %.6g %.6g %.6g" % (shape[0], sps, steps, t, loss, wall), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
