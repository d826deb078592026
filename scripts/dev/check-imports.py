#!/usr/bin/env python3
# Per target: modules imported by its Swift files that Package.swift does not declare, and declared but unused.
import json,re,os,subprocess,sys
pkg=json.loads(subprocess.run(['swift','package','dump-package'],capture_output=True,text=True,check=True).stdout)
targets=pkg['targets']; known={t['name'] for t in targets}|{'ArgumentParser'}
for t in targets:
    if t['type']=='system': continue
    path=t.get('path') or ('Tests/' if t['type']=='test' else 'Sources/')+t['name']
    deps=set()
    for d in t['dependencies']:
        for k,v in d.items(): deps.add(v[0])
    imports=set()
    for root,_,files in os.walk(path):
        if '/Fixtures' in root: continue
        for f in files:
            if f.endswith('.swift'):
                for l in open(os.path.join(root,f)):
                    mm=re.match(r'\s*(?:@testable\s+|@_\w+\s+)?import\s+(?:struct\s+|class\s+|enum\s+|func\s+)?(\w+)',l)
                    if mm and mm.group(1) in known: imports.add(mm.group(1))
    missing=imports-deps; unused=deps-imports
    if missing or unused: print(f"{t['name']}: missing {sorted(missing)} unused {sorted(unused)}")
