# Claim GV5, figure: test FVU after training (Adam 1e-3, batch 32, 1-64-64-1 ReLU) vs the
# frequency a of cos(pi a (u+1)) (left) and vs p for the scalar-encoded modular task
# x -> cos(2 pi (a x mod p)/p) with a random a and the a = 1 control (right).
# Reads resdir/fvu_wave.csv (a,seed,fvu) and resdir/fvu_modmul.csv (p,control,a,fvu).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
set datafile separator comma
fw = resdir."/fvu_wave.csv"
fmm = resdir."/fvu_modmul.csv"
set grid
set yrange [-0.05:1.5]
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,550 font ",11"; set output figdir."/gradient_variance_fvu.png" }
  if (fmt eq "svg") { set terminal svg size 1200,550 font ",11"; set output figdir."/gradient_variance_fvu.svg" }
  set multiplot layout 1,2 title "Training fails where the gradient variance vanishes"
  set logscale x 2
  set autoscale x
  set xlabel "frequency a"
  set ylabel "test FVU"
  set key center right
  set title "wave cos(πa(u+1)), u ∼ U[-1,1]"
  plot fw skip 1 using 1:3 with linespoints pt 7 lw 2 lc 1 title "1-64-64-1 ReLU, Adam", \
       0.1 with lines dt 2 lc rgb "gray40" title "FVU 0.1", 0.9 with lines dt 3 lc rgb "gray20" title "FVU 0.9"
  set logscale x 10
  set xrange [150:15000]
  set xlabel "modulus p"
  set title "x ↦ cos(2π(ax mod p)/p), input 2x/p - 1"
  plot fmm skip 1 using 1:($2==0 ? $4 : 1/0) with linespoints pt 7 lw 2 lc 2 title "random a", \
       fmm skip 1 using 1:($2==1 ? $4 : 1/0) with linespoints pt 5 lw 2 lc 3 title "a = 1 (control)", \
       0.05 with lines dt 2 lc rgb "gray40" title "FVU 0.05", 0.9 with lines dt 3 lc rgb "gray20" title "FVU 0.9"
  unset multiplot
  unset output
}
