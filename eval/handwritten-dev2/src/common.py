RECS = []

def R(style, sex, dob, eth, bmi, date, zs, xbs, jws, ryqk, zlgc, dx, label, ruled=None, implicit=None):
    RECS.append(dict(style=style, sex=sex, dob=dob, eth=eth, bmi=bmi, date=date,
                     zs=zs, xbs=xbs, jws=jws, ryqk=ryqk, zlgc=zlgc, dx=dx,
                     label=label, ruled=ruled or [], implicit=implicit or []))
