import ImgStackCLI
import Stacks

await ImgStackCLI.main(stacks: ShippedStacks.all, defaultStack: ShippedStacks.defaultName)
