# Real small-validation-set runs for the noise-aware tests: an MLP on iris or
# wine (38 or 45 validation samples), Adam lr 0.01, 60 epochs.
#   /usr/bin/python3 testdata/rules/make_small_val.py iris 1 > testdata/rules/oscillating-val-acc.small-val.csv
import torch, numpy as np, sys
from sklearn.datasets import load_iris, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.manual_seed(int(sys.argv[2])); torch.set_num_threads(1)
X,y=(load_iris if sys.argv[1]=='iris' else load_wine)(return_X_y=True)
Xtr,Xva,ytr,yva=train_test_split(X,y,test_size=0.25,random_state=int(sys.argv[2]),stratify=y)
sc=StandardScaler().fit(Xtr); Xtr=torch.tensor(sc.transform(Xtr),dtype=torch.float32); Xva=torch.tensor(sc.transform(Xva),dtype=torch.float32)
ytr=torch.tensor(ytr); yva=torch.tensor(yva)
m=torch.nn.Sequential(torch.nn.Linear(X.shape[1],32),torch.nn.ReLU(),torch.nn.Linear(32,3))
opt=torch.optim.Adam(m.parameters(),lr=0.01); lf=torch.nn.CrossEntropyLoss()
print('epoch,accuracy,loss,val_accuracy,val_loss')
for ep in range(60):
    m.train(); perm=torch.randperm(len(Xtr)); tl=0;tc=0
    for i in range(0,len(Xtr),16):
        idx=perm[i:i+16]; out=m(Xtr[idx]); l=lf(out,ytr[idx]); opt.zero_grad(); l.backward(); opt.step()
        tl+=l.item()*len(idx); tc+=(out.argmax(1)==ytr[idx]).sum().item()
    m.eval()
    with torch.no_grad(): o=m(Xva); vl=lf(o,yva).item(); va=(o.argmax(1)==yva).float().mean().item()
    print(f"{ep},{tc/len(Xtr)},{tl/len(Xtr)},{va},{vl}")
