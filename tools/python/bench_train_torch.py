#!/usr/bin/env python3
"""PyTorch CPU side of `npm run bench:train`: SimSiam training throughput of the same network as SiamWatch's
`createSiameseModel` (resnet backbone, widths 16-32-64-64 x width, `depth` residual blocks per stage, 3x3 convs with
padding 1, GAP; projector Linear-BN-ReLU-Linear-BN(affine=False); predictor Linear-BN-ReLU-Linear; SGD momentum 0.9,
weight decay 5e-4; symmetric negative cosine with detach) on random 28x28 images, each forwarded as two views with
the same light augmentation (per-image brightness jitter and Gaussian noise).

Prints one JSON line: {"torch": version, "threads": n, "params": trainable count, "imagesPerSecond": x, ...}.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = conv_bn(c, c, 1)
        self.b = conv_bn(c, c, 1)

    def forward(self, x):
        return F.relu(x + self.b(F.relu(self.a(x))))


def backbone(in_channels, depth, width):
    widths = [max(1, round(c * width)) for c in (16, 32, 64, 64)]
    layers = [conv_bn(in_channels, widths[0], 1), nn.ReLU()]
    for stage in range(1, 4):
        layers += [conv_bn(widths[stage - 1], widths[stage], 2), nn.ReLU()]
        layers += [Block(widths[stage]) for _ in range(depth)]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), widths[3]


class SimSiam(nn.Module):
    def __init__(self, in_channels, depth, width, proj_dim, proj_hidden, pred_hidden):
        super().__init__()
        self.backbone, feat = backbone(in_channels, depth, width)
        self.projector = nn.Sequential(
            nn.Linear(feat, proj_hidden, bias=False), nn.BatchNorm1d(proj_hidden), nn.ReLU(),
            nn.Linear(proj_hidden, proj_dim, bias=False), nn.BatchNorm1d(proj_dim, affine=False))
        self.predictor = nn.Sequential(
            nn.Linear(proj_dim, pred_hidden, bias=False), nn.BatchNorm1d(pred_hidden), nn.ReLU(),
            nn.Linear(pred_hidden, proj_dim))

    def forward(self, x1, x2):
        z1 = self.projector(self.backbone(x1))
        z2 = self.projector(self.backbone(x2))
        p1, p2 = self.predictor(z1), self.predictor(z2)
        return -(F.cosine_similarity(p1, z2.detach()).mean() + F.cosine_similarity(p2, z1.detach()).mean()) * 0.5


def augment(x, gen):
    scale = 1 + 0.3 * (torch.rand(x.shape[0], 1, 1, 1, generator=gen) * 2 - 1)
    return (x * scale + 0.05 * torch.randn(x.shape, generator=gen)).clamp(0, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--steps', type=int, default=6)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--size', type=int, default=28)
    parser.add_argument('--channels', type=int, default=1)
    parser.add_argument('--depth', type=int, default=0)
    parser.add_argument('--width', type=float, default=2)
    parser.add_argument('--projector-dim', type=int, default=256)
    parser.add_argument('--projector-hidden-dim', type=int, default=256)
    parser.add_argument('--predictor-hidden-dim', type=int, default=64)
    parser.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: torch default)')
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = SimSiam(args.channels, args.depth, args.width, args.projector_dim, args.projector_hidden_dim,
                    args.predictor_hidden_dim)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    images = torch.rand(args.batch, args.channels, args.size, args.size, generator=gen)
    times = []
    loss = float('nan')
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        x1, x2 = augment(images, gen), augment(images, gen)
        loss_t = model(x1, x2)
        opt.zero_grad(set_to_none=True)
        loss_t.backward()
        opt.step()
        loss = loss_t.item()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(times)
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'params': params,
        'steps': args.steps,
        'secondsPerStep': total / len(times),
        'imagesPerSecond': args.batch * len(times) / total,
        'loss': loss,
    }))


if __name__ == '__main__':
    main()
