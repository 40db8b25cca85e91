# contrib/live/scram_live.py in a real PyTorch training loop (tiny MLPs on
# synthetic blobs, seeded): a healthy run trains to the end; a run whose
# learning rate is far too high is stopped at the epoch its loss goes NaN,
# with the finding printed.
PY=/usr/bin/python3
$PY -c 'import torch' 2>/dev/null || { echo "SKIP: $PY has no torch" >&2; exit 77; }
t=$(mktemp -d)
SCRAM_CHECK="$SC" PYTHONPATH=contrib/live $PY - "$t" <<'PY' 2>"$t/err"
import sys, torch
torch.set_num_threads(1)
from scram_live import ScramLive

def train(lr, path, epochs=30):
    torch.manual_seed(0)
    n, k = 600, 3
    centers = torch.randn(k, 8) * 3
    y = torch.randint(0, k, (n,))
    x = centers[y] + torch.randn(n, 8)
    xt, yt, xv, yv = x[:480], y[:480], x[480:], y[480:]
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, k))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    lossf = torch.nn.CrossEntropyLoss()
    live = ScramLive(path, classes=k, total_epochs=epochs,
                     args=["--no-config", "--disable", "early-stopping"])
    for epoch in range(epochs):
        model.train()
        for i in range(0, 480, 32):
            opt.zero_grad()
            loss = lossf(model(xt[i:i + 32]), yt[i:i + 32])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out = model(xt)
            tl, ta = lossf(out, yt).item(), (out.argmax(1) == yt).float().mean().item()
            out = model(xv)
            vl, va = lossf(out, yv).item(), (out.argmax(1) == yv).float().mean().item()
        if live.step(epoch, loss=tl, accuracy=ta, val_loss=vl, val_accuracy=va):
            return epoch + 1, live
    return epochs, live

d = sys.argv[1]
n, live = train(0.01, d + "/healthy.csv")
print("healthy: trained %d of 30 epochs; errors: %d" %
      (n, sum(f["severity"] == "error" for f in live.findings)))
n, live = train(1e4, d + "/nan.csv")
errors = sorted({f["rule"] for f in live.findings if f["severity"] == "error"})
print("lr 1e4: stopped after %s epochs; error findings: %s" % ("a few" if n < 10 else n, errors))
rows = sum(1 for _ in open(d + "/nan.csv")) - 1
print("history rows written:", rows == n)
PY
echo "exit $?"
grep -c '^scram-check: .*: error: ' "$t/err" | sed 's/^[1-9][0-9]*$/printed error findings: some/'
rm -rf "$t"
