# Claim GV2, figure: normalised class-gradient variance Var/E||g||^2 of {phi(a x mod p)}
# vs p (log-log), mean over seeds, for each phi and encoding (64 tanh units, all x, all a,
# exact FFT engine), with the explicit bound (sum|phihat|)^2 E||g-Eg||^2/(p-1) / E||g||^2
# and the fitted slopes in the key; right panel: the same with the [T+23] rate p^(-1/2) and
# p^(-1) for comparison.
# Reads resdir/modmul_{bits,scalar}_{linear,parity,cos}.csv (p,var_over_eg2,bound_over_eg2)
# and resdir/fits.gp (slope_<enc>_<phi>, se_<enc>_<phi>).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
set datafile separator comma
load resdir."/fits.gp"
f(e, p) = resdir."/modmul_".e."_".p.".csv"
stats f("bits", "cos") skip 1 using 1 nooutput
pmin = STATS_min; pmax = STATS_max
stats f("bits", "cos") skip 1 every ::0::0 using 2 nooutput
v0 = STATS_max
set logscale xy
set xrange [pmin/1.3:pmax*1.3]
set format y "10^{%L}"
set xlabel "modulus p"
set ylabel "Var / E||g||^2"
set grid
phis = "linear parity cos"
nm(i) = i == 1 ? "y/p" : i == 2 ? "y mod 2" : "cos(2πy/p)"
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,600 font ",10"; set output figdir."/gradient_variance_modmul.png" }
  if (fmt eq "svg") { set terminal svg size 1300,600 font ",10"; set output figdir."/gradient_variance_modmul.svg" }
  set multiplot layout 1,2 title "Class {φ(ax mod p): a ∈ Z_p^*}: gradient variance at initialisation (exact, FFT engine)"
  set key bottom left font ",8"
  set title "measured (lines) and explicit bound (dotted)"
  plot for [i=1:3] f("bits", word(phis, i)) skip 1 using 1:2 with linespoints lw 2 pt 7 lc i \
         title sprintf("bits, φ=%s: slope %.2f ± %.2f", nm(i), value("slope_bits_".word(phis, i)), value("se_bits_".word(phis, i))), \
       for [i=1:3] f("scalar", word(phis, i)) skip 1 using 1:2 with linespoints lw 2 dt 2 pt 6 lc i \
         title sprintf("scalar, φ=%s: slope %.2f ± %.2f", nm(i), value("slope_scalar_".word(phis, i)), value("se_scalar_".word(phis, i))), \
       for [i=1:3] f("bits", word(phis, i)) skip 1 using 1:3 with lines dt 3 lw 1 lc i notitle
  set title "comparison with the rates p^{-1/2} ([T+23]) and p^{-1}"
  plot for [i=1:3] f("bits", word(phis, i)) skip 1 using 1:2 with linespoints lw 2 pt 7 lc i title "bits, φ=".nm(i), \
       for [i=1:3] f("scalar", word(phis, i)) skip 1 using 1:2 with linespoints lw 2 dt 2 pt 6 lc i title "scalar, φ=".nm(i), \
       v0*(x/pmin)**(-0.5) with lines lw 2 dt 4 lc rgb "gray30" title "∝ p^{-1/2} ([T+23])", \
       v0*(x/pmin)**(-1) with lines lw 2 dt 5 lc rgb "black" title "∝ p^{-1}"
  unset multiplot
  unset output
}
