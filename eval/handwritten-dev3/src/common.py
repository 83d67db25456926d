# Helper used by the build script: one dict per record, free text written by hand.
RECS = []

def rec(n, style, sex, birth, eth, bmi, visit, cc, hpi, pmh, adm, course, dx, label, ro=()):
    RECS.append(dict(n=n, style=style, sex=sex, birth=birth, eth=eth, bmi=bmi, visit=visit,
                     cc=cc, hpi=hpi, pmh=pmh, adm=adm, course=course, dx=list(dx),
                     label=list(label), ro=[dict(drug=d, reason=r, evidence=e) for d, r, e in ro]))
