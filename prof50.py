import cProfile, pstats, time, sys
from dataclasses import replace
from designer.analysis.engine import Analyzer
from designer.analysis.synthetic import build_campus
from designer.analysis.bench import _cold_compile
n=int(sys.argv[1])
t=time.perf_counter(); p=build_campus(n,{}); print("build", time.perf_counter()-t)
a=Analyzer(); a.analyze(p,{},failures=False)
ids=list(a.compile(p,{}).topology.rack_ids)
def edit(i):
    m=p.items[ids[i%len(ids)]]; p.move_items({m.id:(m.x_mm+1.0,m.y_mm)})
    o=p.items[ids[(i*7)%len(ids)]]; p.update_items([replace(o,design_kw=(o.design_kw or 30.0)*0.99)])
    a.analyze(p,{},failures=False)
pr=cProfile.Profile(); pr.enable()
for i in range(5): edit(i)
pr.disable(); pstats.Stats(pr).sort_stats('cumulative').print_stats(30)
pr=cProfile.Profile(); pr.enable()
_cold_compile(p,{})
pr.disable(); pstats.Stats(pr).sort_stats('tottime').print_stats(25)
