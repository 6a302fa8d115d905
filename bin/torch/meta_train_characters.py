#!/usr/bin/env python3
"""Meta-trains the playground's 4-block conv net on character episodes with PyTorch, on a GPU where
there is one, and writes its parameters in the engine's layout, so `import-checkpoint.ts` turns them
into a playground checkpoint and evaluates it with the engine itself.

The model is the engine's (src/engine/models/convNet.ts) op for op: per block a 3x3 convolution
with 'same' padding and no bias, transductive batch norm (the batch's own mean and biased
variance, eps 1e-3, learned scale and offset), ReLU and 2x2 max-pooling; then a linear head.
Weights are kept in the engine's layout (conv [3, 3, in, out], head [features, ways]); features are
flattened channels-last as the engine does.

All tasks of a meta-batch run as one set of ops: each task's copy of the weights is a group of a
grouped convolution, so batch norm, inner gradients and the meta-gradient stay per task.

Algorithms (as the engine defines them in src/engine/algorithms/):
  maml     second-order meta-gradient through `inner-steps` SGD steps with rate alpha
  fomaml   the same with the inner gradients treated as constants
  metasgd  MAML with a learned per-parameter rate (initialised uniform in [0.1, 0.4])
  reptile  `inner-steps` SGD steps alternating the support and query batches, then
           theta <- theta + epsilon * mean_t(phi_t - theta)

  python3 bin/torch/meta_train_characters.py --data .gpu/omniglot28 --algorithm maml --seconds 120 --out maml.raw.json
"""
import argparse
import base64
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

BN_EPS = 1e-3


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', required=True, help='prefix written by export-characters.ts (PREFIX.u8, PREFIX.json)')
    p.add_argument('--algorithm', choices=['maml', 'fomaml', 'metasgd', 'reptile'], default='maml')
    p.add_argument('--ways', type=int, default=5)
    p.add_argument('--shots', type=int, default=1)
    p.add_argument('--queries', type=int, default=5)
    p.add_argument('--meta-batch', type=int, default=32)
    p.add_argument('--alpha', type=float, default=None, help='inner rate (default 0.4; reptile 0.1)')
    p.add_argument('--inner-steps', type=int, default=None, help='(default 1; reptile 5)')
    p.add_argument('--epsilon', type=float, default=1.0, help='reptile outer step')
    p.add_argument('--meta-lr', type=float, default=1e-3)
    p.add_argument('--width', type=int, default=32)
    p.add_argument('--no-rotate', action='store_true', help='no 90/180/270 degree rotations as extra training classes')
    p.add_argument('--seconds', type=float, default=60, help='training time budget')
    p.add_argument('--max-steps', type=int, default=10**9)
    p.add_argument('--eval-every', type=float, default=15, help='seconds between held-out evaluations')
    p.add_argument('--eval-episodes', type=int, default=400)
    p.add_argument('--eval-steps', type=int, default=None, help='adaptation steps at evaluation (default: inner-steps)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--init', help='continue from parameters this script wrote (its curve and step count go on)')
    p.add_argument('--out', required=True)
    a = p.parse_args()
    reptile = a.algorithm == 'reptile'
    a.alpha = a.alpha if a.alpha is not None else (0.1 if reptile else 0.4)
    a.inner_steps = a.inner_steps if a.inner_steps is not None else (5 if reptile else 1)
    a.eval_steps = a.eval_steps if a.eval_steps is not None else a.inner_steps
    return a


class Characters:
    """Classes (a character, or a character turned by a multiple of 90 degrees) of one split, as one
    tensor [classes, drawings, H, W] on the device, so a meta-batch of episodes is drawn in a few ops."""

    def __init__(self, prefix, split, rotate, device):
        meta = json.load(open(prefix + '.json'))
        size = meta['size']
        pixels = np.fromfile(prefix + '.u8', dtype=np.uint8).reshape(-1, size, size).astype(np.float32) / 255.0
        chars = [c for c in meta['characters'] if c['split'] == split]
        drawings = min(c['count'] for c in chars)  # Omniglot: 20 drawers per character
        turns = [0, 1, 2, 3] if rotate else [0]
        classes = []
        for c in chars:
            imgs = pixels[c['first']:c['first'] + drawings]
            for k in turns:
                classes.append(np.rot90(imgs, k, axes=(1, 2)))
        self.size = size
        self.images = torch.tensor(np.ascontiguousarray(np.stack(classes)), device=device)
        self.device = device

    @property
    def classes(self):
        return range(self.images.shape[0])

    def episodes(self, gen, tasks, ways, shots, queries):
        """[tasks, ways*shots, 1, H, W] support, [tasks, ways*queries, 1, H, W] query, and their labels."""
        n_classes, drawings = self.images.shape[0], self.images.shape[1]
        picked = torch.rand(tasks, n_classes, generator=gen, device=self.device).argsort(1)[:, :ways]
        chosen = torch.rand(tasks, ways, drawings, generator=gen, device=self.device).argsort(2)[:, :, :shots + queries]
        imgs = self.images[picked.unsqueeze(-1), chosen]  # [tasks, ways, shots + queries, H, W]
        h = self.size
        xs = imgs[:, :, :shots].reshape(tasks, ways * shots, 1, h, h)
        xq = imgs[:, :, shots:].reshape(tasks, ways * queries, 1, h, h)
        ys = torch.arange(ways, device=self.device).repeat_interleave(shots)
        yq = torch.arange(ways, device=self.device).repeat_interleave(queries)
        return xs, ys, xq, yq


def param_specs(width, ways, side):
    specs = []
    for b in range(1, 5):
        specs.append((f'conv{b}_w', [3, 3, 1 if b == 1 else width, width]))
        specs.append((f'bn{b}_scale', [width]))
        specs.append((f'bn{b}_offset', [width]))
    specs.append(('head_w', [side * side * width, ways]))
    specs.append(('head_b', [ways]))
    return specs


def glorot(shape, gen):
    receptive = shape[0] * shape[1] if len(shape) == 4 else 1
    fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
    limit = math.sqrt(6 / (fan_in + fan_out))
    return (torch.rand(shape, generator=gen) * 2 - 1) * limit


def init_params(specs, seed, device):
    gen = torch.Generator().manual_seed(seed)
    out = []
    for name, shape in specs:
        if name.endswith('_scale'):
            t = torch.ones(shape)
        elif name.endswith('_w'):
            t = glorot(shape, gen)
        else:
            t = torch.zeros(shape)
        out.append(t.to(device).requires_grad_())
    return out


def forward(params, x):
    """params: per-task weights with a leading task axis [T, ...]; x: [T, n, 1, H, W] -> logits [T, n, ways]."""
    T, n = x.shape[0], x.shape[1]
    h = x.transpose(0, 1).reshape(n, T * x.shape[2], x.shape[3], x.shape[4])
    for b in range(4):
        w, scale, offset = params[3 * b], params[3 * b + 1], params[3 * b + 2]
        cin, cout = w.shape[3], w.shape[4]
        # [T, 3, 3, in, out] -> [T*out, in, 3, 3]: task t's filters form group t.
        h = F.conv2d(h, w.permute(0, 4, 3, 1, 2).reshape(T * cout, cin, 3, 3), padding=1, groups=T)
        mean = h.mean(dim=(0, 2, 3), keepdim=True)
        centred = h - mean
        var = (centred * centred).mean(dim=(0, 2, 3), keepdim=True)
        h = centred / torch.sqrt(var + BN_EPS)
        h = h * scale.reshape(1, T * cout, 1, 1) + offset.reshape(1, T * cout, 1, 1)
        h = F.max_pool2d(F.relu(h), 2)
    side, width = h.shape[2], h.shape[1] // T
    feats = h.reshape(n, T, width, side, side).permute(1, 0, 3, 4, 2).reshape(T, n, side * side * width)
    return torch.einsum('tnf,tfc->tnc', feats, params[-2]) + params[-1].unsqueeze(1)


def task_losses(params, x, y):
    """Each task's mean cross-entropy [T]."""
    logits = forward(params, x)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.repeat(x.shape[0]), reduction='none').reshape(x.shape[0], -1).mean(1)


def per_task(params, T):
    return [p.unsqueeze(0).expand(T, *p.shape) for p in params]


def adapt(theta, rates, x, y, steps, create_graph):
    """SGD on the support set from theta; rates: one number, or per-parameter tensors (Meta-SGD)."""
    fast = per_task(theta, x.shape[0])
    for _ in range(steps):
        grads = torch.autograd.grad(task_losses(fast, x, y).sum(), fast, create_graph=create_graph)
        fast = [f - (r if isinstance(r, float) else r.unsqueeze(0)) * g for f, r, g in zip(fast, rates, grads)]
    return fast


def evaluate(theta, rates, data, args, rng, episodes):
    accs = []
    batch = 50
    for start in range(0, episodes, batch):
        t = min(batch, episodes - start)
        xs, ys, xq, yq = data.episodes(rng, t, args.ways, args.shots, args.queries)
        fast = [f.detach() for f in adapt(theta, rates, xs, ys, args.eval_steps, create_graph=False)]
        with torch.no_grad():
            hit = (forward(fast, xq).argmax(-1) == yq.unsqueeze(0)).float().mean(1)
        accs.extend(hit.tolist())
    accs = np.array(accs)
    return float(accs.mean()), float(1.96 * accs.std(ddof=1) / math.sqrt(len(accs)))


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    dev = torch.device(args.device)
    rng = torch.Generator(device=dev).manual_seed(args.seed)
    eval_gen = lambda k: torch.Generator(device=dev).manual_seed(args.seed + 1 + k)
    train = Characters(args.data, 'background', not args.no_rotate, dev)
    held_out = Characters(args.data, 'evaluation', False, dev)
    side = train.size
    for _ in range(4):
        side //= 2
    specs = param_specs(args.width, args.ways, side)
    theta = init_params(specs, args.seed, dev)
    rates = [args.alpha] * len(theta)
    learned = list(theta)
    if args.algorithm == 'metasgd':
        gen = torch.Generator().manual_seed(args.seed + 7)
        rates = [(0.1 + 0.3 * torch.rand(shape, generator=gen)).to(dev).requires_grad_() for _, shape in specs]
        learned += rates
    start_step, start_seconds, curve = 0, 0.0, []
    if args.init:
        prior = json.load(open(args.init))
        if prior['algorithm'] != args.algorithm:
            raise SystemExit(f"--init holds {prior['algorithm']}, not {args.algorithm}")
        with torch.no_grad():
            for t, p in zip(learned, prior['params']):
                if list(t.shape) != p['shape']:
                    raise SystemExit(f"--init: {p['name']} has shape {p['shape']}, expected {list(t.shape)}")
                t.copy_(torch.tensor(np.frombuffer(base64.b64decode(p['data']), dtype='<f4').reshape(p['shape'])))
        start_step, start_seconds, curve = prior['training']['steps'], prior['training']['seconds'], prior['training']['curve']
        rng.manual_seed(args.seed + start_step)  # fresh episodes, not the first run's again
    opt = torch.optim.Adam(learned, lr=args.meta_lr) if args.algorithm != 'reptile' else None
    print(f'{args.algorithm}: {len(train.classes)} training classes, {len(held_out.classes)} held-out; device {dev}', flush=True)

    t0 = time.time()
    next_eval = 0.0
    step = start_step
    loss_value = float('nan')
    while True:
        elapsed = time.time() - t0
        if elapsed >= next_eval or elapsed >= args.seconds or step >= args.max_steps:
            if curve and curve[-1]['step'] == step and elapsed < args.seconds and step < args.max_steps:
                next_eval = elapsed + args.eval_every
                continue
            acc, ci = evaluate(theta, rates, held_out, args, eval_gen(0), min(200, args.eval_episodes))
            curve.append({'step': step, 'seconds': round(start_seconds + elapsed, 1), 'train_loss': round(loss_value, 4) if math.isfinite(loss_value) else None, 'accuracy': round(acc, 4), 'ci95': round(ci, 4)})
            print(json.dumps(curve[-1]), flush=True)
            next_eval = elapsed + args.eval_every
            if elapsed >= args.seconds or step >= args.max_steps:
                break
        xs, ys, xq, yq = train.episodes(rng, args.meta_batch, args.ways, args.shots, args.queries)
        if args.algorithm == 'reptile':
            fast = per_task([p.detach() for p in theta], args.meta_batch)
            batches = [(xs, ys), (xq, yq)]
            for s in range(args.inner_steps):
                x, y = batches[s % 2]
                fast = [f.detach().requires_grad_() for f in fast]
                grads = torch.autograd.grad(task_losses(fast, x, y).sum(), fast)
                fast = [f - args.alpha * g for f, g in zip(fast, grads)]
            with torch.no_grad():
                loss_value = float(task_losses(fast, xq, yq).mean())
                for p, f in zip(theta, fast):
                    p += args.epsilon * (f.mean(0) - p)
        else:
            fast = adapt(theta, rates, xs, ys, args.inner_steps, create_graph=args.algorithm != 'fomaml')
            meta = task_losses(fast, xq, yq).mean()
            opt.zero_grad()
            meta.backward()
            opt.step()
            loss_value = float(meta)
        step += 1
        if not math.isfinite(loss_value):
            raise SystemExit(f'diverged at step {step}: loss {loss_value}')

    acc, ci = evaluate(theta, rates, held_out, args, eval_gen(1), args.eval_episodes)
    names = [n for n, _ in specs] + ([f'alpha_{n}' for n, _ in specs] if args.algorithm == 'metasgd' else [])
    tensors = list(theta) + (list(rates) if args.algorithm == 'metasgd' else [])
    params = [{'name': n, 'shape': list(t.shape), 'data': base64.b64encode(t.detach().cpu().contiguous().numpy().astype('<f4').tobytes()).decode()} for n, t in zip(names, tensors)]
    result = {
        'algorithm': args.algorithm,
        'config': {'ways': args.ways, 'shots': args.shots, 'queries': args.queries, 'metaBatch': args.meta_batch, 'alpha': args.alpha,
                   'innerSteps': args.inner_steps, 'metaLr': args.meta_lr, 'width': args.width, 'seed': args.seed, 'epsilon': args.epsilon},
        'training': {'steps': step, 'seconds': round(start_seconds + time.time() - t0, 1), 'device': torch.cuda.get_device_name(dev) if dev.type == 'cuda' else 'cpu',
                     'torch': torch.__version__, 'rotations': not args.no_rotate, 'eval_steps': args.eval_steps,
                     'accuracy': round(acc, 4), 'ci95': round(ci, 4), 'eval_episodes': args.eval_episodes, 'curve': curve},
        'params': params,
    }
    json.dump(result, open(args.out, 'w'))
    print(json.dumps({k: v for k, v in result['training'].items() if k != 'curve'}), flush=True)


if __name__ == '__main__':
    main()
