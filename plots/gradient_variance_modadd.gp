# Claim GV6, figure: where the variance drop of multiplication bites, against the additive
# class. Left: normalised class-gradient variance Var/E||g - Eg||^2 of {phi(x + a mod p)}
# (additive, shifts) and {phi(a x mod p)} (multiplicative) at initialisation, phi = cos, vs p
# (log-log), one point per seed and encoding (exact FFT engine): the additive class does not
# decay with p, the multiplicative one does. Right: bit-encoded training (24-bit inputs) of
# x -> cos(2 pi (a x mod p)/p) and of x -> cos(2 pi (x + a mod p)/p): |Pearson| on the test set
# vs p, with the chance level 5/sqrt(m_test).
# Reads resdir/modadd.csv (bits,p,seed,var_add,egc2,var_add_over_egc2,var_mul_over_egc2,
# add_over_mul) and resdir/bitmod.csv (p,add,seed,a,pearson,fvu,m_test).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
set datafile separator comma
fa = resdir."/modadd.csv"
fb = resdir."/bitmod.csv"
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,600 font ",10"; set output figdir."/gradient_variance_modadd.png" }
  if (fmt eq "svg") { set terminal svg size 1300,600 font ",10"; set output figdir."/gradient_variance_modadd.svg" }
  set multiplot layout 1,2 title "GV6: multiplication vs addition mod p (φ = cos)"
  set logscale xy
  set format y "10^{%L}"
  set xlabel "modulus p"
  set ylabel "Var / E||g - Eg||^2"
  set grid
  set key bottom left font ",8"
  set title "class-gradient variance at initialisation (exact)"
  plot fa skip 1 using ($1 == 0 ? $2 : 1/0):6 with points pt 7 lc 1 title "additive {φ(x + a)}, scalar input", \
       fa skip 1 using ($1 == 1 ? $2 : 1/0):6 with points pt 5 lc 2 title "additive, bit input", \
       fa skip 1 using ($1 == 0 ? $2 : 1/0):7 with points pt 6 lc 1 title "multiplicative {φ(ax)}, scalar input", \
       fa skip 1 using ($1 == 1 ? $2 : 1/0):7 with points pt 4 lc 2 title "multiplicative, bit input"
  unset logscale y
  set format y "%g"
  set yrange [0:1.05]
  set ylabel "|Pearson| on the test set"
  set key center right font ",8"
  set format x "10^{%L}"
  set title "bit-encoded training: a x mod p vs x + a mod p"
  plot fb skip 1 using ($2 == 0 ? $1 : 1/0):(abs($5)) with points pt 7 ps 1.2 lc 1 title "a x mod p (multiplication)", \
       fb skip 1 using ($2 == 1 ? $1 : 1/0):(abs($5)) with points pt 5 ps 1.2 lc 2 title "x + a mod p (addition)", \
       fb skip 1 using 1:(5/sqrt($7)) with linespoints dt 2 lc rgb "gray30" pt 0 title "chance level 5/√m_{test}"
  unset multiplot
  unset yrange
  set format x "%g"
}
