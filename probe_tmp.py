from pathlib import Path
from collections import Counter
from generator.build import build_model
from generator.sources import Sources
import time
t=time.time()
m = build_model(Sources(Path("specs"), headers=(Path("../shared/outlook-headers"),), read_idl=False))
print(time.time()-t)
print(Counter(a.kind for a in m.aggregates), Counter(a.nested for a in m.aggregates), len(m.constants), len(m.property_tags), len(m.property_types), len(m.guids))
print(Counter(d.code for d in m.diagnostics))
m2 = build_model(Sources(Path("specs")))
print(Counter(a.kind for a in m2.aggregates), len(m2.constants), len(m2.property_tags), len(m2.property_types), len(m2.guids))
print(Counter(d.code for d in m2.diagnostics))
m3 = build_model(Sources(Path("specs"), headers=(Path("/usr/x86_64-w64-mingw32/include"),)))
c=Counter(d.code for d in m3.diagnostics); print(c)
for d in m3.diagnostics:
    if d.code in ("struct-conflict",): print(d)
print([str(d) for d in m3.diagnostics if d.code in ("tag-conflict","constant-conflict")][:15])
